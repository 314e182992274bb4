// A background import's page (templates/references/editorial/import_job.html),
// enhanced: while the job works, its progress is fetched every few seconds
// and put in place. A page that reloads itself would take the reader, and a
// screen reader, back to its top each time (WCAG 2.2.1), so nothing reloads
// until the job ends; then the page shows how (its result, or why not).
// Without script the "Refresh" link does the same.
(() => {
  const region = document.querySelector("[data-import-job]");
  if (!region) return;
  const again = (seconds) => setTimeout(tick, seconds * 1000);
  async function tick() {
    let response;
    try {
      response = await fetch(window.location.href, { credentials: "same-origin" });
    } catch {
      again(10); // the site is out of reach for now: try later
      return;
    }
    if (response.redirected) {
      window.location.assign(response.url); // done: its result
      return;
    }
    if (!response.ok) {
      again(10);
      return;
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-import-job]");
    if (!fresh) {
      window.location.reload(); // stopped or failed: the page says what to do
      return;
    }
    region.replaceChildren(...fresh.childNodes);
    again(3);
  }
  again(3);
})();
