// Read aloud: every element marked `data-listen` gets an "Écouter" button that reads its text with the browser's
// speech synthesis, in French, highlighting the word being read. The button goes into the element's
// `[data-listen-slot]` when it has one, else right before it; the attribute's value, if any, says what is read
// ("le mot et sa définition", "l'étape 3") to screen readers, after the button's visible word. Without speech
// synthesis (or without JavaScript) no button is made at all: a button that cannot work would be worse than none.
// Nothing is read without a tap.
//
// What is read: the element's text, minus `[data-listen-skip]`, what is hidden, our own controls, and the
// explanations of words (lexique.js's `.term__definition` panels, open or closed): an open panel is an aside
// the reader asked for, and reading it in the middle of the sentence would say the definition twice on a term's
// page and break the sentence everywhere else. The explained word itself (a link, or lexique.js's button) is
// read, since it is part of the sentence. The text is collected at each tap, so the order in which this module
// and lexique.js run does not matter.
const synth = window.speechSynthesis;
const Utterance = window.SpeechSynthesisUtterance;
const texts = document.querySelectorAll("[data-listen]");

const SKIPPED = [
  "[data-listen-controls]",
  "[data-listen-skip]",
  ".term__definition",
  "[hidden]",
  "[aria-hidden='true']",
  "script",
  "style",
  "template",
  "noscript",
  "select",
  "textarea",
  "svg",
].join(",");
const BLOCKS = new Set(
  ["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE", "FOOTER", "H1", "H2"]
    .concat(["H3", "H4", "H5", "H6", "HEADER", "LI", "OL", "P", "SECTION", "TABLE", "TD", "TH", "TR", "UL"]),
);
const RATES = [
  ["0.7", "Lente"],
  ["1", "Normale"],
  ["1.3", "Rapide"],
];
const STORED_VOICE = "placette.listen.voice";
const STORED_RATE = "placette.listen.rate";
const HIGHLIGHT = "listen-word";
const canHighlight = Boolean(window.CSS && CSS.highlights && typeof window.Highlight === "function");

// Private browsing may refuse storage: the settings then last as long as the page.
const stored = (key) => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};
const store = (key, value) => {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // nothing to keep
  }
};

const frenchVoices = () =>
  synth.getVoices().filter((voice) => (voice.lang || "").toLowerCase().replace("_", "-").startsWith("fr"));

// The voice the person chose on this device, else a voice of France, else any French one.
const chosenVoice = () => {
  const voices = frenchVoices();
  const wanted = stored(STORED_VOICE);
  return (
    voices.find((voice) => voice.voiceURI === wanted) ||
    voices.find((voice) => voice.lang.toLowerCase().replace("_", "-") === "fr-fr") ||
    voices[0] ||
    null
  );
};

const chosenRate = () => {
  const rate = stored(STORED_RATE);
  return RATES.some(([value]) => value === rate) ? rate : "1";
};

const blockOf = (node, root) => {
  for (let element = node.parentElement; element && element !== root; element = element.parentElement) {
    if (BLOCKS.has(element.tagName)) return element;
  }
  return root;
};

// The text to say, and where each piece of it lies in the page, for the highlight. Blocks (the title, each
// paragraph) are joined by a full stop where they have none, so that the voice pauses between them.
const textOf = (root) => {
  const pieces = [];
  let text = "";
  let block = null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      const skipped = node.parentElement.closest(SKIPPED);
      return skipped && root.contains(skipped) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const here = blockOf(node, root);
    if (block && here !== block && text.trim()) {
      text = /[.!?:…]\s*$/.test(text) ? `${text.trimEnd()} ` : `${text.trimEnd()}. `;
    }
    block = here;
    pieces.push({ node, start: text.length });
    text += node.data;
  }
  return { text, pieces };
};

const announcer = document.querySelector("[data-live-announcer]");
const announce = (message) => {
  if (announcer) announcer.textContent = message;
};

let reading = null; // { button, utterance }

const clearHighlight = () => {
  if (canHighlight) CSS.highlights.delete(HIGHLIGHT);
};

// The visible word, and after it for screen readers what a tap does: read what (`data-listen`'s value), or stop.
const showIdle = (button) => {
  button.firstChild.textContent = "Écouter";
  button.lastChild.textContent = button.dataset.what ? ` ${button.dataset.what}` : "";
  button.classList.remove("listen__button--reading");
};

const stop = () => {
  if (!reading) return;
  const { button } = reading;
  reading = null;
  synth.cancel();
  clearHighlight();
  showIdle(button);
};

const highlight = (pieces, charIndex, charLength) => {
  const piece = pieces.findLast((candidate) => candidate.start <= charIndex);
  if (!piece || charIndex >= piece.start + piece.node.data.length) return;
  const offset = charIndex - piece.start;
  const rest = piece.node.data.slice(offset);
  const length = charLength || rest.search(/\s|$/);
  if (length <= 0) return;
  const range = document.createRange();
  range.setStart(piece.node, offset);
  range.setEnd(piece.node, Math.min(offset + length, piece.node.data.length));
  CSS.highlights.set(HIGHLIGHT, new Highlight(range));
};

const read = (root, button) => {
  stop();
  const { text, pieces } = textOf(root);
  if (!text.trim()) return;
  const utterance = new Utterance(text);
  utterance.lang = "fr-FR";
  const voice = chosenVoice();
  if (voice) utterance.voice = voice;
  utterance.rate = Number(chosenRate());
  const finished = () => {
    // A reading stopped for another one ends after the other started: it leaves the other's state alone.
    if (reading?.utterance !== utterance) return;
    reading = null;
    clearHighlight();
    showIdle(button);
    announce("Lecture terminée.");
  };
  utterance.onend = finished;
  utterance.onerror = finished;
  if (canHighlight) {
    utterance.onboundary = (event) => {
      if (reading?.utterance === utterance && event.name !== "sentence") {
        highlight(pieces, event.charIndex, event.charLength);
      }
    };
  }
  reading = { button, utterance };
  button.firstChild.textContent = "Arrêter";
  button.lastChild.textContent = " la lecture";
  button.classList.add("listen__button--reading");
  announce("Lecture en cours.");
  synth.speak(utterance);
};

const field = (labelText, control, id) => {
  const wrapper = document.createElement("p");
  wrapper.className = "listen-settings__field";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  control.id = id;
  wrapper.append(label, control);
  return wrapper;
};

const option = (value, text, selected) => {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  element.selected = selected;
  return element;
};

// "Réglages de la voix", once, beside the first button: the voices of the device come when it has loaded them.
const settings = () => {
  const details = document.createElement("details");
  details.className = "listen-settings";
  const summary = document.createElement("summary");
  summary.textContent = "Réglages de la voix";
  const voiceSelect = document.createElement("select");
  const fillVoices = () => {
    const voices = frenchVoices();
    const current = chosenVoice();
    voiceSelect.replaceChildren(
      ...(voices.length
        ? voices.map((voice) => option(voice.voiceURI, `${voice.name} (${voice.lang})`, voice === current))
        : [option("", "Voix de l'appareil", true)]),
    );
  };
  fillVoices();
  if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", fillVoices);
  voiceSelect.addEventListener("change", () => store(STORED_VOICE, voiceSelect.value));
  const rateSelect = document.createElement("select");
  rateSelect.append(...RATES.map(([value, text]) => option(value, text, value === chosenRate())));
  rateSelect.addEventListener("change", () => store(STORED_RATE, rateSelect.value));
  details.append(summary, field("Voix", voiceSelect, "listen-voice"), field("Vitesse", rateSelect, "listen-rate"));
  return details;
};

if (synth && typeof Utterance === "function" && texts.length) {
  texts.forEach((root, index) => {
    const controls = document.createElement("div");
    controls.className = "listen";
    controls.dataset.listenControls = "";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small button--secondary listen__button";
    button.dataset.what = root.dataset.listen.trim();
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    button.append(document.createElement("span"), hidden);
    showIdle(button);
    button.addEventListener("click", () => (reading?.button === button ? stop() : read(root, button)));
    controls.append(button);
    if (index === 0) controls.append(settings());
    const slot = root.querySelector("[data-listen-slot]");
    if (slot) slot.append(controls);
    else root.before(controls);
  });
  // Some browsers go on speaking after the page is left.
  window.addEventListener("pagehide", stop);
}
