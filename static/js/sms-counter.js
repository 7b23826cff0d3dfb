// The campaign's text counted as it is typed: characters, SMS parts, and the characters that make it Unicode.
// The same figures as notifications/sms/parts.py, which the server shows after "Aperçu" (and without this script).

const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

function measure(text) {
  const strangers = [...new Set([...text].filter((c) => !GSM_BASIC.has(c) && !GSM_EXTENDED.has(c)))];
  let characters;
  let single;
  let part;
  if (strangers.length) {
    characters = text.length; // UTF-16 code units, as the network counts them in Unicode
    [single, part] = [70, 67];
  } else {
    characters = [...text].reduce((sum, c) => sum + (GSM_EXTENDED.has(c) ? 2 : 1), 0);
    [single, part] = [160, 153];
  }
  const parts = !text ? 0 : characters <= single ? 1 : Math.ceil(characters / part);
  return { characters, parts, strangers };
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
}

const counter = document.querySelector("[data-sms-counter]");
const form = document.querySelector("[data-sms-form]");
const textarea = form?.querySelector("[data-sms-text]");

if (counter && textarea) {
  const { prefix, linkLength, stopLength, maxParts, countWords, unicodeOne, unicodeMany } = counter.dataset;
  const count = counter.querySelector("[data-sms-count]");
  const unicode = counter.querySelector("[data-sms-unicode]");
  const tooLong = counter.querySelector("[data-sms-too-long]");

  const update = () => {
    const link = form.querySelector("input[name=link]:checked");
    const withLink = link ? link.value !== "" : false;
    const message = prefix + textarea.value.trim() + (withLink ? "x".repeat(Number(linkLength)) : "");
    const measured = measure(message + "x".repeat(Number(stopLength)));
    count.textContent = fill(countWords, { characters: measured.characters, parts: measured.parts });
    const named = measured.strangers.slice(0, 5).map((c) => `« ${c} »`).join(" et ");
    unicode.textContent = fill(named && measured.strangers.length > 1 ? unicodeMany : unicodeOne, { characters: named });
    unicode.hidden = measured.strangers.length === 0;
    tooLong.hidden = measured.parts <= Number(maxParts);
  };
  textarea.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
