/* Reference picker: copy the chosen option into the hidden ID and the search box; typing again clears it. */
(function () {
  if (window.siaReferencePicker) return;
  window.siaReferencePicker = true;
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-refpicker-option]");
    if (!option) return;
    var picker = option.closest("[data-refpicker]");
    picker.querySelector("[data-refpicker-value]").value = option.dataset.id;
    picker.querySelector("[data-refpicker-text]").value = option.dataset.label;
    picker.querySelector("[data-refpicker-path]").textContent = option.dataset.path;
    option.closest(".refpicker-results").innerHTML = "";
  });
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-refpicker-text]")) return;
    var picker = event.target.closest("[data-refpicker]");
    picker.querySelector("[data-refpicker-value]").value = "";
    picker.querySelector("[data-refpicker-path]").textContent = "";
  });
})();
