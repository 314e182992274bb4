// The edit form's "Preview" (templates/articles/editorial/article_form.html),
// enhanced: the same request is sent in the background and the preview (or
// the refusal banner) the server renders replaces the one on the page, so
// the editor keeps their place and cursor in the text. Without script the
// button posts the form and the page comes back with the preview on top.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("form.article-form button[name=preview]");
  if (!button || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  const form = button.form;
  const data = new FormData(form);
  data.append(button.name, button.value);
  button.disabled = true;
  let page;
  try {
    const response = await fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    page = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch (error) {
    // Anything unexpected: post the form as if there were no script.
    button.disabled = false;
    form.requestSubmit(button);
    return;
  }
  button.disabled = false;
  for (const selector of ["#refusals", "#preview"]) {
    const fresh = page.querySelector(selector);
    const current = document.querySelector(selector);
    if (current && fresh) {
      current.replaceWith(document.adoptNode(fresh));
    } else if (current) {
      current.remove();
    } else if (fresh) {
      const anchor = selector === "#refusals" ? document.querySelector("main h1") : form;
      anchor.parentNode.insertBefore(document.adoptNode(fresh), anchor);
    }
  }
  const shown = document.querySelector("#refusals") || document.querySelector("#preview");
  if (shown) {
    const heading = shown.querySelector("h2, p");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
    shown.scrollIntoView({ block: "start" });
  }
});
