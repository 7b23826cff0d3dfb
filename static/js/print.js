// The programme's "Imprimer" button (agenda/programme.html): hidden until this module can answer it.
// Without JavaScript the page says how to print from the browser's menu instead.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
