"""The exchange's filters, as query parameters anyone can bookmark: words, a tag, offer or request, what, for what,
where."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.forms import PlainForm, SharedChoicesSelect
from echanges.models import Category, Offer
from home.searching import having_words
from quartier.filters import CentreChoiceMixin
from quartier.models import CentrePage

Q_MAX = 100
# The listing's own words for each choice: it reads "Des objets" and "Don" where an offer's page says "un objet".
NATURES = [
    (Offer.Nature.GOOD, _("Des objets")),
    (Offer.Nature.SERVICE, _("Des coups de main")),
    (Offer.Nature.SKILL, _("Des savoirs")),
]
MODES = [
    (Offer.Mode.GIFT, _("Don")),
    (Offer.Mode.LOAN, _("Prêt")),
    (Offer.Mode.SWAP, _("Troc")),
    (Offer.Mode.TIME, _("Banque de temps")),
]


class OfferFilter(CentreChoiceMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Mots"),
        method="filter_words",
        max_length=Q_MAX,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Par exemple : vélo")}),
    )
    tag = django_filters.CharFilter(label=_("Mot-clé"), method="filter_tag", max_length=Q_MAX)
    kind = django_filters.ChoiceFilter(
        label=_("Annonces"),
        choices=[(Offer.Kind.OFFER, _("Ce que l'on propose")), (Offer.Kind.REQUEST, _("Ce que l'on cherche"))],
        empty_label=_("Tout"),
        widget=SharedChoicesSelect(),
    )
    nature = django_filters.ChoiceFilter(
        label=_("Quoi"),
        choices=NATURES,
        empty_label=_("Objets, coups de main et savoirs"),
        widget=SharedChoicesSelect(),
    )
    mode = django_filters.ChoiceFilter(
        label=_("En échange de"), choices=MODES, empty_label=_("Tous les échanges"), widget=SharedChoicesSelect()
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Catégorie"),
        to_field_name="slug",
        queryset=Category.objects.all(),
        empty_label=_("Toutes les catégories"),
        widget=SharedChoicesSelect(shared_as="echanges.category"),
    )
    centre = django_filters.ModelChoiceFilter(
        label=_("Centre"),
        queryset=CentrePage.objects.none(),
        empty_label=_("Tous les centres"),
        widget=SharedChoicesSelect(shared_as="echanges.centre"),
    )

    class Meta:
        model = Offer
        fields = []
        form = PlainForm

    def filter_words(self, queryset, name, value):
        # What the search page does: every word, whatever its accents and case, in the title, the text, the
        # tags or the category.
        return having_words(queryset, value)

    def filter_tag(self, queryset, name, value):
        # The slug the tag was stored under, so that "Vélo" and "vélo" lead to the same offers.
        return queryset.filter(tags__slug=Tag().slugify(value.strip()))
