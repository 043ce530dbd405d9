// One click, one appeal: the server also recognises a resubmitted form by its token.
// The filing form and the check page's form each go once; a second press is ignored.
document.addEventListener("DOMContentLoaded", function () {
  ["appeal-form", "appeal-confirm"].forEach(function (id) {
    var form = document.getElementById(id);
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      var button = event.submitter;
      if (button) { button.setAttribute("aria-disabled", "true"); button.classList.add("disabled"); }
    });
  });
});
// Back to a page kept in the browser's cache: its forms may go again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  ["appeal-form", "appeal-confirm"].forEach(function (id) {
    var form = document.getElementById(id);
    if (!form) { return; }
    delete form.dataset.sent;
    form.querySelectorAll("[aria-disabled]").forEach(function (button) {
      button.removeAttribute("aria-disabled");
      button.classList.remove("disabled");
    });
  });
});
