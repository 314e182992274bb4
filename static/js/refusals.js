// The refusal banner (templates/editorial/refusals.html), enhanced: a link
// naming a line of a text puts the cursor on that line of its field, with
// the line selected. Without script the link still reaches the field.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".refusals a[data-line]");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field || field.tagName !== "TEXTAREA") return;
  event.preventDefault();
  const wanted = Number(link.dataset.line);
  const lines = field.value.split("\n");
  let start = 0;
  for (let i = 0; i < wanted - 1 && i < lines.length; i += 1) {
    start += lines[i].length + 1;
  }
  const end = start + (lines[wanted - 1] || "").length;
  field.scrollIntoView({ block: "center" });
  field.focus();
  field.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(field).lineHeight) || 20;
  field.scrollTop = Math.max(0, (wanted - 3) * lineHeight);
});
