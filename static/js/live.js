// Live updates over /ws/notifications/: the unread count, new notifications said politely, public topics.
// The page works without it; when sockets are blocked it retries a few times, then stays quiet.

const body = document.body;
const signedIn = "liveUser" in body.dataset;
const topics = [...document.querySelectorAll("[data-live-topic]")].map((element) => element.dataset.liveTopic);
const announcer = document.querySelector("[data-live-announcer]");
const notice = document.querySelector("[data-live-notice]");
const MAX_RETRIES = 8;
let lastId = Number(body.dataset.liveLast || 0);
let unreadShown = 0;
let retries = 0;
let socket = null;

function announce(text) {
  if (announcer) {
    // Emptied first, so that the same words said twice are announced twice.
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 100);
  }
  if (notice) {
    notice.querySelector("[data-live-notice-text]").textContent = text;
    notice.hidden = false;
  }
}

notice?.querySelector("[data-live-notice-close]").addEventListener("click", () => { notice.hidden = true; });

function showCount(unread) {
  unreadShown = unread;
  document.querySelectorAll("[data-unread-count]").forEach((badge) => {
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
  });
  document.querySelectorAll("[data-unread-label]").forEach((label) => { label.hidden = unread === 0; });
}

function tell(news) {
  if (news.length === 1) announce(`Nouvelle notification : ${news[0].text}`);
  else if (news.length > 1) announce(`${news.length} nouvelles notifications.`);
}

function received(notifications, unread) {
  const fresh = notifications.filter((notification) => notification.id > lastId);
  const news = [];
  fresh.forEach((notification) => {
    lastId = Math.max(lastId, notification.id);
    // Pages that show what a notification is about (a conversation) listen for it, and cancel the event
    // when they show it: no toast over it, and not counted, since the server marks it read as it is shown.
    const event = new CustomEvent("placette:notification", { detail: notification, cancelable: true });
    if (document.dispatchEvent(event)) news.push(notification);
  });
  showCount(Math.max(0, unread - (fresh.length - news.length)));
  tell(news);
}

// A page that took a notification and found nothing to show after all gives it back.
document.addEventListener("placette:notification-unshown", (event) => {
  showCount(unreadShown + 1);
  tell([event.detail]);
});

function topicChanged(message) {
  document.querySelectorAll(`[data-live-topic="${CSS.escape(message.topic)}"]`).forEach((element) => {
    Object.entries(message).forEach(([field, value]) => {
      element.querySelectorAll(`[data-live-field="${CSS.escape(field)}"]`).forEach((target) => {
        target.textContent = String(value);
      });
    });
  });
  if (message.message) announce(message.message);
}

function handle(message) {
  // Someone's own news only on a page that is theirs: a mediator acting for a resident sees the resident's
  // header, while the socket is the mediator's and still hears the mediator's own notifications.
  if (signedIn && message.type === "notification") received([message.notification], message.unread);
  else if (signedIn && message.type === "catch_up") received(message.notifications, message.unread);
  else if (message.type === "topic") topicChanged(message);
}

function connect() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  try {
    socket = new WebSocket(`${scheme}//${window.location.host}${body.dataset.liveSocket}`);
  } catch {
    return;
  }
  socket.addEventListener("open", () => {
    retries = 0;
    // What arrived while the page loaded, or while the connection was down.
    if (signedIn) socket.send(JSON.stringify({ type: "catch_up", after: lastId }));
    topics.forEach((topic) => socket.send(JSON.stringify({ type: "subscribe", topic })));
  });
  socket.addEventListener("message", (event) => {
    try {
      handle(JSON.parse(event.data));
    } catch {
      // A message this page does not understand changes nothing on it.
    }
  });
  socket.addEventListener("close", () => {
    socket = null;
    retries += 1;
    if (retries > MAX_RETRIES) return;
    const delay = Math.min(30000, 1000 * 2 ** (retries - 1)) * (0.5 + Math.random() / 2);
    window.setTimeout(connect, delay);
  });
}

// A phone back on the network, or a tab looked at again, tries once more even after giving up.
function retryNow() {
  if (socket === null && retries > MAX_RETRIES && document.visibilityState === "visible") {
    retries = 0;
    connect();
  }
}

if (body.dataset.liveSocket && (signedIn || topics.length > 0)) {
  connect();
  window.addEventListener("online", retryNow);
  document.addEventListener("visibilitychange", retryNow);
}
