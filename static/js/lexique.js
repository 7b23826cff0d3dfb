// Words explained where they are read (lexique/matching.py): without JavaScript each word is a link to its page in
// the lexicon. Here the link becomes a button that opens the definition in place, below the sentence; the
// definition keeps its own link to the word's page.
document.querySelectorAll("[data-lexique]").forEach((term) => {
  const link = term.querySelector("[data-lexique-word]");
  const definition = term.querySelector(".term__definition");
  if (!link || !definition || !definition.id) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "term__word";
  button.textContent = link.textContent;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", definition.id);
  link.replaceWith(button);
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    definition.hidden = !open;
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  definition.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      show(false);
      button.focus();
    }
  });
});
