"""The families' path's calendar as France's usual dates have it, for the network's admins to adjust.

Towns set their own school and canteen enrolment dates: the words say "souvent", and a step links to the online
procedure of the same address when the network has one (demarches), whose dated periods are the town's real ones.
"""

from django.db import migrations

# (age band, title, when in words, first month, last month, how, the online procedure's address)
STEPS = [
    (
        "for_under_3",
        "Demander une place en crèche",
        "Dès la grossesse, le plus tôt possible",
        None,
        None,
        "Les places sont rares. Faites la demande à la mairie ou au relais petite enfance dès le 6e mois de "
        "grossesse. Vous pouvez aussi chercher une assistante maternelle sur monenfant.fr.",
        "",
    ),
    (
        "for_under_3",
        "Déclarer la grossesse, puis la naissance",
        "Avant la fin du 3e mois de grossesse, puis à la naissance",
        None,
        None,
        "Déclarez la grossesse à la CAF et à l'Assurance maladie avant la fin du 3e mois. Après la naissance, "
        "déclarez-la à la CAF sur caf.fr : c'est ce qui ouvre les aides pour le bébé.",
        "",
    ),
    (
        "for_under_3",
        "Faire suivre la santé de l'enfant à la PMI",
        "Dès la naissance, à tout moment",
        None,
        None,
        "La PMI suit gratuitement les bébés et les enfants jusqu'à 6 ans : pesée, vaccins, conseils. "
        "Prenez rendez-vous à la PMI la plus proche.",
        "",
    ),
    (
        "for_under_3",
        "Inscrire l'enfant à l'école maternelle",
        "Souvent de janvier à mars, l'année de ses 3 ans",
        1,
        3,
        "L'école est obligatoire dès 3 ans. Inscrivez l'enfant à la mairie, souvent sur le portail famille de la "
        "ville. Apportez le livret de famille, un justificatif de domicile et le carnet de santé.",
        "inscription-scolaire",
    ),
    (
        "for_maternelle",
        "Inscrire l'enfant à l'école",
        "Souvent de janvier à mars, pour la rentrée de septembre",
        1,
        3,
        "Pour une première rentrée, inscrivez l'enfant à la mairie, puis à l'école. Apportez le livret de famille, "
        "un justificatif de domicile et le carnet de santé (vaccins).",
        "inscription-scolaire",
    ),
    (
        "for_maternelle",
        "Inscrire l'enfant au CP",
        "Souvent de janvier à mars, l'année de ses 6 ans",
        1,
        3,
        "Si l'école élémentaire n'est pas la même que la maternelle, la mairie demande souvent une nouvelle "
        "inscription. Demandez à la mairie ou au directeur de l'école.",
        "inscription-scolaire",
    ),
    (
        "for_maternelle",
        "Inscrire à la cantine et à la garderie",
        "Avant la rentrée, souvent en juin et juillet",
        6,
        7,
        "Inscrivez l'enfant à la cantine et à l'accueil périscolaire (avant et après l'école, le mercredi) sur le "
        "portail famille de la ville. Le prix dépend du quotient familial de la CAF.",
        "inscription-cantine",
    ),
    (
        "for_maternelle",
        "Donner l'attestation d'assurance scolaire",
        "À la rentrée, en septembre",
        9,
        None,
        "L'école la demande pour les sorties. Demandez à votre assureur une attestation « responsabilité civile » "
        "et « individuelle accident ».",
        "",
    ),
    (
        "for_elementaire",
        "Inscrire à la cantine et au périscolaire",
        "Avant la rentrée, souvent en juin et juillet",
        6,
        7,
        "Inscrivez l'enfant à la cantine, à la garderie et à l'accueil du mercredi sur le portail famille de la "
        "ville. Le prix dépend du quotient familial de la CAF.",
        "inscription-cantine",
    ),
    (
        "for_elementaire",
        "Recevoir l'allocation de rentrée scolaire",
        "En août, sans démarche",
        8,
        None,
        "La CAF la verse pour les enfants de 6 à 18 ans si les revenus de la famille sont modestes. Pour un enfant "
        "de moins de 16 ans, il n'y a rien à faire si vous recevez déjà des aides de la CAF.",
        "",
    ),
    (
        "for_elementaire",
        "Donner l'attestation d'assurance scolaire",
        "À la rentrée, en septembre",
        9,
        None,
        "L'école la demande pour les sorties. Demandez à votre assureur une attestation « responsabilité civile » "
        "et « individuelle accident ».",
        "",
    ),
    (
        "for_elementaire",
        "Préparer l'entrée au collège (CM2)",
        "En CM2, de mars à juin",
        3,
        6,
        "Au printemps, l'école vous donne le dossier d'entrée en 6e : vous dites vos souhaits (langue, collège). "
        "En juin, vous recevez le nom du collège : inscrivez alors l'enfant au collège, sans tarder.",
        "",
    ),
    (
        "for_college",
        "Recevoir l'allocation de rentrée scolaire",
        "En août, sans démarche",
        8,
        None,
        "La CAF la verse pour les enfants de 6 à 18 ans si les revenus de la famille sont modestes. Pour un enfant "
        "de moins de 16 ans, il n'y a rien à faire si vous recevez déjà des aides de la CAF.",
        "",
    ),
    (
        "for_college",
        "Demander la bourse de collège",
        "De la rentrée à mi-octobre",
        9,
        10,
        "Une aide de l'État pour les familles aux revenus modestes. La demande se fait en ligne avec le compte "
        "ÉduConnect des parents, ou sur papier au collège. Gardez l'avis d'impôt à portée de main.",
        "bourse-de-college-et-de-lycee",
    ),
    (
        "for_college",
        "Choisir le lycée : les vœux d'affectation (3e)",
        "En 3e, de mai à début juin",
        5,
        6,
        "Avec le professeur principal, choisissez les formations : voie générale et technologique, voie "
        "professionnelle, CAP. Les vœux se font en ligne sur le service Affectation (Affelnet), avec le compte "
        "ÉduConnect des parents.",
        "",
    ),
    (
        "for_college",
        "Inscrire l'enfant au lycée",
        "Fin juin et début juillet, dès les résultats",
        6,
        7,
        "Dès les résultats de l'affectation, inscrivez l'enfant au lycée qui l'accepte, en ligne ou au lycée. "
        "Sans inscription à la date demandée, la place peut être perdue.",
        "",
    ),
    (
        "for_lycee",
        "Faire recenser le jeune à 16 ans",
        "Dans les 3 mois après ses 16 ans",
        None,
        None,
        "Le jeune se fait recenser à la mairie ou en ligne sur service-public.fr. L'attestation est demandée "
        "pour passer le bac et le permis de conduire.",
        "",
    ),
    (
        "for_lycee",
        "Déclarer la scolarité à la CAF (16–18 ans)",
        "En juillet et août",
        7,
        8,
        "Pour recevoir l'allocation de rentrée scolaire d'un jeune de 16 à 18 ans, déclarez sur caf.fr qu'il "
        "continue ses études ou son apprentissage.",
        "",
    ),
    (
        "for_lycee",
        "Demander la bourse de lycée",
        "De la rentrée à mi-octobre",
        9,
        10,
        "Une aide de l'État pour les familles aux revenus modestes, si vous ne l'avez pas demandée au printemps en "
        "3e. La demande se fait en ligne avec le compte ÉduConnect des parents, ou sur papier au lycée.",
        "bourse-de-college-et-de-lycee",
    ),
    (
        "for_lycee",
        "Faire les vœux Parcoursup (terminale)",
        "De mi-janvier à mi-mars, en terminale",
        1,
        3,
        "L'élève choisit ses formations après le bac sur Parcoursup, puis confirme ses vœux début avril. "
        "Après la date, on ne peut plus en ajouter.",
        "parcoursup",
    ),
]


def seed(apps, schema_editor):
    FamilyStep = apps.get_model("carte", "FamilyStep")
    Procedure = apps.get_model("demarches", "Procedure")
    procedures = {p.slug: p for p in Procedure.objects.filter(centre__isnull=True)}
    for band, title, when, month, last_month, how, procedure in STEPS:
        FamilyStep.objects.get_or_create(
            age_band=band,
            title=title,
            defaults={
                "when": when,
                "month": month,
                "last_month": last_month,
                "how": how,
                "procedure": procedures.get(procedure),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("carte", "0007_family_steps"), ("demarches", "0007_procedure_tutorial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
