// What the pages do in the browser besides htmx. It lives here, not in inline handlers, because
// the Content-Security-Policy runs no inline script. Listeners sit on the document so that
// parts htmx swaps in later behave the same.
"use strict";

// A choice that takes effect at once (the language menu): send its form when it changes.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof Element && field.matches("[data-submit-on-change]")) {
    field.form.submit();
  }
});

// Choosing a procedure among the matches at intake: keep its code for the form, and show its
// full name in the search field.
document.addEventListener("click", (event) => {
  const choice = event.target instanceof Element && event.target.closest("[data-procedure-code]");
  if (!choice) {
    return;
  }
  document.getElementById("procedure-code").value = choice.dataset.procedureCode;
  document.getElementById("procedure-search").value = choice.textContent.trim();
});
