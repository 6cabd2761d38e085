// fawen preview: follow the builds. The server sends an event after each one; the panel is
// fetched again and swapped in, so the page never reloads and keeps its place.
"use strict";
(function () {
  const app = document.getElementById("app");
  const state = () => app.querySelector(".state");
  let generation = Number(state().dataset.generation);
  let instance = state().dataset.instance;
  let running = false;
  let again = false;
  window.fawenRefreshes = 0;

  async function refresh() {
    if (running) { again = true; return; }
    running = true;
    try {
      const doc = state().dataset.doc || "";
      const response = await fetch("/panel?doc=" + encodeURIComponent(doc), { cache: "no-store" });
      if (response.ok) {
        const html = await response.text();
        const x = window.scrollX, y = window.scrollY;
        app.innerHTML = html;
        window.scrollTo(x, y);
        generation = Number(state().dataset.generation);
        instance = state().dataset.instance;
        document.title = state().dataset.title + " — fawen preview";
        window.fawenRefreshes += 1;
      }
    } catch (e) {
      // the server is restarting or gone: the next event (EventSource reconnects) tries again
    } finally {
      running = false;
      if (again) { again = false; refresh(); }
    }
  }

  function connection(text) {
    const el = document.getElementById("connection");
    if (el) { el.textContent = text; }
  }

  const events = new EventSource("/events");
  events.addEventListener("build", function (e) {
    connection("");
    const data = JSON.parse(e.data);
    if (data.generation !== generation || data.instance !== instance) { refresh(); }
  });
  events.addEventListener("error", function () { connection("· 与 fawen preview 的连接中断，正在重连…"); });
})();
