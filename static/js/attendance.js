// Attendance on the staff page: "Présent" / "Absent" saved without reloading the long list.
// Without this script the same buttons post their form and the page comes back at the same person.

const announcer = document.querySelector("[data-live-announcer]");
const notice = document.querySelector("[data-live-notice]");

// Said by screen readers; a refusal is also shown, in the page's notice box (see base.html).
function say(text, { show = false } = {}) {
  if (announcer) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 100);
  }
  if (show && notice) {
    notice.querySelector("[data-live-notice-text]").textContent = text;
    notice.hidden = false;
  }
}

async function save(form, button) {
  const body = new FormData(form);
  body.set(button.name, button.value);
  const response = await fetch(form.action, {
    method: "POST",
    body,
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.headers.get("Content-Type")?.includes("application/json")) throw new Error(String(response.status));
  return response.json();
}

document.querySelectorAll("form[data-attendance]").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button) return;
    event.preventDefault();
    let answer;
    try {
      answer = await save(form, button);
    } catch {
      // Offline or an unexpected answer: the ordinary form post still works.
      const choice = document.createElement("input");
      Object.assign(choice, { type: "hidden", name: button.name, value: button.value });
      form.append(choice);
      form.submit();
      return;
    }
    if (answer.ok) {
      form.querySelectorAll("button[aria-pressed]").forEach((other) => {
        other.setAttribute("aria-pressed", String(other === button));
      });
      const status = form.closest("li")?.querySelector("[data-attendance-status]");
      if (status) status.textContent = answer.status_label.charAt(0).toUpperCase() + answer.status_label.slice(1);
    }
    say(answer.message, { show: !answer.ok });
  });
});
