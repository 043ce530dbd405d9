// The suggested topics on the filing form: a press chooses that topic in the form's
// topic select, as if the citizen had picked it there.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".topic-suggestion-choice");
  if (!button) { return; }
  var select = document.getElementById("id_topic");
  if (!select) { return; }
  select.value = button.dataset.topicId;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  document.querySelectorAll(".topic-suggestion-choice").forEach(function (other) {
    other.setAttribute("aria-pressed", other === button ? "true" : "false");
  });
});
