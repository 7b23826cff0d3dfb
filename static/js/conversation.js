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

function giveBack(notification) {
  document.dispatchEvent(new CustomEvent("placette:notification-unshown", { detail: notification }));
}

if (thread) {
  document.addEventListener("placette:notification", (event) => {
    const notification = event.detail;
    if (notification.url !== thread.dataset.threadConversation || notification.kind !== thread.dataset.threadKind) {
      return;
    }
    // A message in this conversation appears in the thread (aria-live): no toast, no count, the server marks
    // it read as it sends it. Anything else about the conversation (an offer withdrawn) is told as usual.
    // A thread that gained no message since (this fetch's or one still on its way) gives the news back.
    event.preventDefault();
    const before = thread.dataset.threadLast;
    const unshown = () => { if (thread.dataset.threadLast === before) giveBack(notification); };
    fetchNew().then(unshown, unshown);
  });
}
