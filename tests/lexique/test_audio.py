"""A term's recording: only real sound files are accepted (by their first bytes), and the page plays it natively."""

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model

from lexique import audio
from lexique.audio import audio_problem, mime_type
from lexique.models import TutorialPage
from tests.factories import UserFactory
from tests.lexique.factories import TermPageFactory, TutorialPageFactory

REFUSED = "Ce fichier n'est pas un enregistrement sonore : choisissez un fichier MP3, OGG, M4A, WAV, WebM ou FLAC."
# The first bytes of each kind of file, as recorders and phones write them.
MPEG_FRAME = b"\xff\xfb\x90\x64" + bytes(60)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
ID3_TAG = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 20]) + b"\x00" * 20  # a 20-byte tag (title, artist)
HEADS = {
    "mp3": MPEG_FRAME,
    "ogg": b"OggS\x00\x02" + bytes(58),
    "opus": b"OggS\x00\x02" + bytes(22) + b"\x13OpusHead" + bytes(27),
    "wav": b"RIFF" + (36).to_bytes(4, "little") + b"WAVEfmt " + bytes(48),
    "m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(32),
    "mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(40),
    "webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + bytes(55),
    "flac": b"fLaC\x00\x00\x00\x22" + bytes(56),
}


def sound(extension, head=None):
    return ContentFile(head if head is not None else HEADS[extension], name=f"lecture.{extension}")


@pytest.mark.parametrize("extension", HEADS)
def test_each_accepted_format_is_recognised_by_its_first_bytes(extension):
    assert audio_problem(sound(extension)) is None


def test_an_mp3_behind_its_id3_tag_is_accepted_and_text_behind_a_tag_is_not():
    assert audio_problem(sound("mp3", ID3_TAG + MPEG_FRAME)) is None
    assert audio_problem(sound("mp3", ID3_TAG + b"Bonjour, ceci est un texte.")) == REFUSED


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)),
        ("lettre.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(40)),
        ("texte.mp3", "Bonjour, ceci est un texte.\nIl n’a pas de son, il est écrit.\n".encode()),
        ("vide.mp3", b""),
        # An AAC stream has the same sync bits as MP3 but the layer MP3 never uses.
        ("aac.mp3", b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(40)),
        # An MP4 that is not sound (a 3GP video brand) and a RIFF that is not WAVE (an AVI video).
        ("video.mp4", b"\x00\x00\x00\x18ftyp3gp5\x00\x00\x00\x00" + bytes(40)),
        ("film.wav", b"RIFF" + (36).to_bytes(4, "little") + b"AVI LIST" + bytes(40)),
    ],
)
def test_a_file_that_is_not_sound_is_refused_whatever_its_name(name, head):
    assert audio_problem(ContentFile(head, name=name)) == REFUSED


def test_a_sound_file_with_another_format_s_name_is_refused_with_the_right_name():
    problem = audio_problem(sound("mp3", HEADS["ogg"]))

    assert problem == (
        "Ce fichier est un enregistrement OGG, mais son nom finit par « .mp3 ». "
        "Renommez-le en « .ogg », puis envoyez-le à nouveau."
    )


def test_a_recording_over_10_mo_is_refused_with_its_size_and_the_limit():
    problem = audio_problem(sound("mp3", MPEG_FRAME + bytes(audio.MAX_BYTES)))

    assert problem == "Ce fichier est trop lourd (10,0 Mo) : 10 Mo au plus. Enregistrez un message plus court."


def test_an_upload_still_being_saved_is_left_open_and_at_its_start():
    upload = sound("flac")

    assert audio_problem(upload) is None
    assert upload.read(4) == b"fLaC"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.mp3", "audio/mpeg"),
        ("a.OGG", "audio/ogg"),
        ("a.opus", "audio/ogg"),
        ("a.wav", "audio/wav"),
        ("a.m4a", "audio/mp4"),
        ("a.webm", "audio/webm"),
        ("a.flac", "audio/flac"),
        ("a.pdf", None),
        ("sans-extension", None),
    ],
)
def test_the_source_type_comes_from_the_checked_name(name, expected):
    assert mime_type(ContentFile(b"", name=name)) == expected


def test_wagtail_accepts_every_recording_s_extension_as_a_document():
    assert set(audio.EXTENSIONS) <= set(settings.WAGTAILDOCS_EXTENSIONS)


# In the Wagtail admin and on the term's page.


def document(name, content):
    return get_document_model().objects.create(title=name, file=ContentFile(content, name=name))


def edit_form(term, **changes):
    return {
        "title": term.title,
        "slug": term.slug,
        "variants": "",
        "definition": term.definition,
        "example": "",
        "photo": "",
        "photo_alt": "",
        "related_terms": [],
        "audio": "",
        **changes,
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_pdf_as_the_term_s_recording_next_to_the_field(client, staff_login, home):
    staff_login(client, UserFactory(network_admin=True))
    term = TermPageFactory(title="identifiant")
    pdf = document("consignes.pdf", b"%PDF-1.7\n" + bytes(40))

    response = client.post(f"/admin/pages/{term.pk}/edit/", edit_form(term, audio=pdf.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un enregistrement sonore" in html
    # Next to the recording's chooser.
    assert re.search(
        r'data-contentpath="audio">\s*<div class="w-field__errors"[^>]*>.{0,400}?pas un enregistrement', html, re.S
    )
    assert not term.revisions.exists()


@pytest.mark.django_db
def test_the_admin_keeps_a_real_recording(client, staff_login, home):
    staff_login(client, UserFactory(network_admin=True))
    term = TermPageFactory(title="identifiant")
    recording = document("identifiant.mp3", ID3_TAG + MPEG_FRAME)

    response = client.post(f"/admin/pages/{term.pk}/edit/", edit_form(term, audio=recording.pk))

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.get_latest_revision().as_object().audio == recording


@pytest.mark.django_db
def test_the_term_page_plays_its_recording_natively_with_the_text_as_transcript(client, home):
    recording = document("identifiant.m4a", HEADS["m4a"])
    TermPageFactory(title="identifiant", definition="Le nom qui vous reconnaît.", audio=recording)

    html = client.get("/lexique/identifiant/").content.decode()

    assert "<h2>Écouter l'enregistrement</h2>" in html
    assert '<audio class="term-page__audio" controls preload="none" aria-describedby="definition-du-mot">' in html
    assert '<div class="prose term-page__definition" id="definition-du-mot">' in html
    assert f'<source src="/documents/{recording.pk}/identifiant.m4a" type="audio/mp4">' in html
    assert '<div class="term-page__text" data-listen="le mot et sa définition">' in html
    assert "Le texte de l'enregistrement est écrit ci-dessus." in html
    # The file is served from this site, which the page's policy allows to play (default-src 'self').
    served = client.get(f"/documents/{recording.pk}/identifiant.m4a")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == HEADS["m4a"]
    policy = client.get("/lexique/identifiant/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "media-src" not in policy


@pytest.mark.django_db
def test_a_term_without_recording_has_no_player_but_keeps_read_aloud(client, home):
    TermPageFactory(title="identifiant")

    html = client.get("/lexique/identifiant/").content.decode()

    assert "<audio" not in html and "enregistrement" not in html
    assert 'src="/static/js/listen.js"' in html and "data-listen=" in html


@pytest.mark.django_db
def test_a_deleted_recording_leaves_the_term_without_player(client, home):
    recording = document("identifiant.wav", HEADS["wav"])
    TermPageFactory(title="identifiant", audio=recording)

    recording.delete()

    assert "<audio" not in client.get("/lexique/identifiant/").content.decode()


@pytest.mark.django_db
def test_a_recording_costs_the_term_page_one_query(client, home, django_assert_max_num_queries):
    TermPageFactory(title="sans")
    TermPageFactory(title="avec", audio=document("avec.ogg", HEADS["ogg"]))

    def queries(url):
        client.get(url)  # the site's root paths, read once per process
        with django_assert_max_num_queries(15) as counted:
            assert client.get(url).status_code == 200
        return len(counted.captured_queries)

    assert queries("/lexique/avec/") == queries("/lexique/sans/") + 1  # the document's row


# A tutorial's step may carry its own recording, checked the same way.


def step_with(recording):
    return [("step", {"title": "Ouvrir l'application", "body": [("text", "Touchez l'icône.")], "audio": recording})]


@pytest.mark.django_db
def test_a_step_refuses_a_recording_that_is_not_sound_next_to_its_field(home):
    step = TutorialPage.steps.field.stream_block.child_blocks["step"]
    pdf = document("etape.mp3", b"%PDF-1.7 not a sound")

    with pytest.raises(StructBlockValidationError) as refused:
        step.clean(
            step.to_python({"title": "Ouvrir", "body": [{"type": "text", "value": "Touchez."}], "audio": pdf.pk})
        )

    assert "audio" in refused.value.block_errors
    assert "n'est pas un enregistrement sonore" in str(refused.value.block_errors["audio"])


@pytest.mark.django_db
def test_a_step_plays_its_recording_with_its_text_as_transcript(client, home):
    recording = document("etape.ogg", HEADS["ogg"])
    tutorial = TutorialPageFactory(title="Ouvrir une application", steps=step_with(recording))

    html = client.get(f"{tutorial.url}etape/1/").content.decode()

    assert '<audio class="tutorial-step__audio" controls preload="none" data-listen-skip>' in html
    assert f'<source src="/documents/{recording.pk}/etape.ogg" type="audio/ogg">' in html
    assert 'data-listen="l\'étape 1"' in html


@pytest.mark.django_db
def test_a_step_without_recording_has_no_player(client, home):
    tutorial = TutorialPageFactory(title="Ouvrir une application", steps=step_with(None))

    assert "<audio" not in client.get(f"{tutorial.url}etape/1/").content.decode()
