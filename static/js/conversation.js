// A conversation page (echanges/conversation.html): a message from the other person appears as it arrives.
// live.js hears the notification; this module fetches the new messages as HTML the server already renders.
// Without JavaScript the page shows them on its next load.

const thread = document.querySelector("[data-thread]");

async function fetchNew() {
  const last = thread.dataset.threadLast || "0";
  const response = await fetch(`${thread.dataset.thread}?apres=${encodeURIComponent(last)}`, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) return;
  const template = document.createElement("template");
  template.innerHTML = await response.text();
  template.content.querySelectorAll("[data-message-id]").forEach((item) => {
    if (!document.getElementById(item.id)) {
      thread.append(item);
      thread.dataset.threadLast = item.dataset.messageId;
    }
  });
}

if (thread) {
  document.addEventListener("placette:notification", (event) => {
    if (event.detail.url === thread.dataset.threadConversation) fetchNew().catch(() => {});
  });
}
