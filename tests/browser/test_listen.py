"""On a phone, a visitor has a word read aloud: the "Écouter" button exists only where the browser can speak.

Headless Chromium may have speech synthesis without any voice: the tests give the page a fake one that records
what it is asked to say and lets the test play the words' boundaries and the end of the reading.
"""

import io
import wave

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from tests.lexique.factories import TermPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEFINITION = "C'est le nom qui vous reconnaît sur un site."
EXAMPLE = "Tapez votre identifiant."
FAKE_SPEECH = """
(() => {
  const voices = [
    { name: "Amélie", lang: "fr-CA", voiceURI: "amelie", localService: true, default: false },
    { name: "Thomas", lang: "fr-FR", voiceURI: "thomas", localService: true, default: false },
    { name: "Daniel", lang: "en-GB", voiceURI: "daniel", localService: true, default: true },
  ];
  class Utterance {
    constructor(text) { Object.assign(this, { text, lang: "", voice: null, rate: 1 }); }
  }
  class Synthesis extends EventTarget {
    getVoices() { return voices; }
    speak(utterance) {
      window.spoken.push({ text: utterance.text, lang: utterance.lang, rate: utterance.rate,
                           voice: utterance.voice && utterance.voice.voiceURI });
      this.current = utterance;
    }
    cancel() {
      const utterance = this.current;
      this.current = null;
      if (utterance && utterance.onerror) utterance.onerror({ error: "interrupted" });
    }
  }
  const synthesis = new Synthesis();
  window.spoken = [];
  window.sayWord = (word) => {
    const utterance = synthesis.current;
    utterance.onboundary({ name: "word", charIndex: utterance.text.indexOf(word), charLength: word.length });
  };
  window.finishReading = () => {
    const utterance = synthesis.current;
    synthesis.current = null;
    utterance.onend({});
  };
  Object.defineProperty(window, "speechSynthesis", { value: synthesis, configurable: true });
  Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true });
})();
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
HIGHLIGHTED = """() => {
  const highlight = CSS.highlights.get("listen-word");
  return highlight ? [...highlight][0].toString() : null;
}"""


@pytest.fixture
def term(home):
    return TermPageFactory(
        title="identifiant", variants="login", definition=DEFINITION, example=EXAMPLE, slug="identifiant"
    )


def test_a_tap_reads_the_word_its_definition_and_example_in_french(
    page, live_server, term, screenshot, assert_accessible
):
    page.add_init_script(FAKE_SPEECH)
    page.goto(f"{live_server.url}/lexique/identifiant/")

    listen = page.get_by_role("button", name="Écouter le mot et sa définition", exact=True)
    expect(listen).to_have_count(1)
    page.get_by_text("Réglages de la voix").click()
    voice = page.get_by_label("Voix")
    # French voices only, France's first choice.
    expect(voice.locator("option")).to_have_text(["Amélie (fr-CA)", "Thomas (fr-FR)"])
    expect(voice).to_have_value("thomas")
    page.get_by_label("Vitesse").select_option(label="Lente")
    assert_accessible(page)
    screenshot(page, "ecouter-reglages")
    assert page.evaluate("window.spoken") == []  # nothing is read before a tap

    listen.click()

    stop = page.get_by_role("button", name="Arrêter la lecture", exact=True)
    expect(stop).to_be_visible()
    expect(page.locator("[data-live-announcer]")).to_have_text("Lecture en cours.")
    [said] = page.evaluate("window.spoken")
    assert said["text"].strip() == f"identifiant. {DEFINITION} Exemple. {EXAMPLE}"
    assert (said["lang"], said["voice"], said["rate"]) == ("fr-FR", "thomas", 0.7)
    if page.evaluate("Boolean(window.CSS && CSS.highlights)"):
        page.evaluate("sayWord('reconnaît')")
        assert page.evaluate(HIGHLIGHTED) == "reconnaît"
    assert_accessible(page)
    screenshot(page, "ecouter-lecture")

    stop.click()

    expect(page.get_by_role("button", name="Écouter")).to_be_visible()
    assert page.evaluate("Boolean(window.CSS && CSS.highlights) ? CSS.highlights.size : 0") == 0


def test_the_chosen_voice_is_kept_and_a_reading_ends_by_itself(page, live_server, term):
    page.add_init_script(FAKE_SPEECH)
    page.goto(f"{live_server.url}/lexique/identifiant/")
    page.get_by_text("Réglages de la voix").click()
    page.get_by_label("Voix").select_option("amelie")

    page.reload()
    page.get_by_role("button", name="Écouter").click()
    page.evaluate("finishReading()")

    expect(page.get_by_role("button", name="Écouter")).to_be_visible()
    expect(page.locator("[data-live-announcer]")).to_have_text("Lecture terminée.")
    assert [said["voice"] for said in page.evaluate("window.spoken")] == ["amelie"]


def test_every_marked_text_reads_alone_and_explained_words_are_read_once(page, live_server, term):
    """Several `data-listen` texts on a page (a tutorial's steps): one reading at a time, explanations left out."""
    page.add_init_script(FAKE_SPEECH)
    page.route(
        f"{live_server.url}/essai/",
        lambda route: route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f"""<!doctype html><html lang="fr"><head><title>Essai</title>
            <script type="module" src="/static/js/lexique.js"></script>
            <script type="module" src="/static/js/listen.js"></script></head><body><main>
            <ol>
              <li data-listen="l'étape 1"><p>Ouvrez le site.</p></li>
              <li data-listen><p>Tapez votre <span class="term" data-lexique="identifiant"><a class="term__word"
                href="/lexique/identifiant/" data-lexique-word aria-describedby="d1">identifiant</a><span
                class="term__definition" id="d1" hidden>{DEFINITION}</span></span> puis validez.</p></li>
            </ol></main></body></html>""",
        ),
    )
    page.goto(f"{live_server.url}/essai/")
    expect(page.get_by_role("button", name="Écouter l'étape 1", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Écouter", exact=True)).to_have_count(1)
    buttons = page.locator(".listen__button")  # their names change as they are tapped
    expect(page.get_by_text("Réglages de la voix")).to_have_count(1)
    page.get_by_role("button", name="identifiant").click()  # the explanation is open while the step is read
    expect(page.get_by_text(DEFINITION)).to_be_visible()

    buttons.nth(0).click()
    buttons.nth(1).click()

    expect(page.get_by_role("button", name="Arrêter la lecture")).to_have_count(1)
    expect(page.get_by_role("button", name="Écouter l'étape 1")).to_have_count(1)
    assert [said["text"].strip() for said in page.evaluate("window.spoken")] == [
        "Ouvrez le site.",
        "Tapez votre identifiant puis validez.",
    ]
    expect(page.get_by_text(DEFINITION)).to_be_visible()  # the page's text is left as it was


def test_without_speech_synthesis_there_is_no_button(page, live_server, term):
    page.add_init_script(NO_SPEECH)
    page.goto(f"{live_server.url}/lexique/identifiant/")

    assert page.evaluate("'speechSynthesis' in window") is False
    expect(page.get_by_role("heading", level=1)).to_have_text("identifiant")
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
    expect(page.get_by_text("Réglages de la voix")).to_have_count(0)


def test_without_javascript_there_is_no_button(browser, browser_context_args, live_server, term):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/lexique/identifiant/")

    expect(page.get_by_text(DEFINITION)).to_be_visible()
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
    expect(page.get_by_text("Réglages de la voix")).to_have_count(0)
    context.close()


def a_second_of_silence():
    sound = io.BytesIO()
    with wave.open(sound, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(bytes(16000))
    return sound.getvalue()


def test_the_recording_plays_from_this_site_under_its_policy(page, live_server, term, assert_accessible):
    term.audio = get_document_model().objects.create(
        title="identifiant", file=ContentFile(a_second_of_silence(), name="identifiant.wav")
    )
    term.save_revision().publish()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security" in message.text else None)
    page.goto(f"{live_server.url}/lexique/identifiant/")

    duration = page.evaluate(
        """() => new Promise((played, failed) => {
          const audio = document.querySelector("audio");
          audio.addEventListener("loadedmetadata", () => played(audio.duration));
          audio.addEventListener("error", () => failed(new Error("the recording did not load")), true);
          audio.preload = "metadata";  // what a tap on play does; the page itself loads nothing ahead
          audio.load();
        })"""
    )

    assert duration == pytest.approx(1, abs=0.05)
    assert refused == []
    assert_accessible(page)
