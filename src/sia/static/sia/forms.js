/* SIA forms: nothing typed is lost, errors and answers are shown where the user looks,
   files are checked before they are sent, long lists are searchable, long texts show a counter.
   Progressive enhancement only: every form works without this file. */
(function () {
  "use strict";

  function fieldOf(element) {
    return element && element.closest ? element.closest("[data-field]") : null;
  }

  /* --- 1. Touched fields are never replaced by a background refresh ------------------------ */
  function markTouched(event) {
    var target = event.target;
    if (!target.closest || !target.closest("form") || target.matches("[data-checklist-search]")) return;
    target.setAttribute("data-touched", "");
    var field = fieldOf(target);
    if (field) field.setAttribute("data-touched", "");
  }
  document.addEventListener("input", markTouched, true);
  document.addEventListener("change", markTouched, true);
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-refpicker-option]");
    if (option) markTouched({ target: option.closest("[data-refpicker]").querySelector("[data-refpicker-text]") });
  }, true);

  /* A refresh answers with the dependent fields as out-of-band swaps; a field the user has touched
     or is in stays as it is (the server also leaves fields with a value without suggestion). */
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.matches("[data-field]")) return;
    if (target.hasAttribute("data-touched") || target.contains(document.activeElement)) {
      event.detail.shouldSwap = false;
    }
  });

  /* A value the server suggested and the user left alone may be suggested again: it is not sent. */
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute("data-refresh-trigger") || !elt.form) return;
    elt.form.querySelectorAll("[data-field][data-suggested]:not([data-touched])").forEach(function (field) {
      field.querySelectorAll("[name]").forEach(function (input) {
        event.detail.formData.delete(input.name);
      });
    });
  });

  /* --- 2. Error summary and answers get the focus ------------------------------------------ */
  function focusAnswer(root) {
    var answer = (root || document).querySelector("[data-error-summary], [data-focus-answer]");
    if (!answer) return;
    if (!answer.hasAttribute("tabindex")) answer.setAttribute("tabindex", "-1");
    answer.focus({ preventScroll: true });
    answer.scrollIntoView({ block: "center" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusAnswer(document);
    enhance(document);
  });
  /* A page opened at a #fragment has its focus reset by the browser's scroll to it: focus again. */
  window.addEventListener("load", function () {
    if (location.hash && (!document.activeElement || document.activeElement === document.body)) {
      setTimeout(function () { focusAnswer(document); }, 0);
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.detail.elt);
    if (event.detail.elt && event.detail.elt.querySelector) {
      if (event.detail.elt.matches("[data-error-summary], [data-focus-answer]")) focusAnswer(event.detail.elt.parentNode);
      else focusAnswer(event.detail.elt);
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var input = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea");
    (fieldOf(target) || target).scrollIntoView({ block: "center" });
    (input || target).focus({ preventScroll: true });
  });

  /* --- 3. Files are checked before they are sent ------------------------------------------- */
  function formatSize(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    return Math.round(bytes / 1024) + " KB";
  }
  function fileProblem(input) {
    var max = parseInt(input.dataset.maxBytes || "0", 10);
    var allowed = (input.getAttribute("accept") || "").split(",").map(function (s) { return s.trim().toLowerCase(); })
      .filter(function (s) { return s.charAt(0) === "."; });
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      var name = file.name.toLowerCase();
      if (allowed.length && !allowed.some(function (ext) { return name.slice(-ext.length) === ext; })) {
        return (input.dataset.typeMessage || "").replace("{name}", file.name);
      }
      if (max && file.size > max) return (input.dataset.sizeMessage || "").replace("{size}", formatSize(file.size));
    }
    return "";
  }
  function showFileProblem(input, message) {
    var holder = input.parentNode.querySelector("[data-file-problem]");
    if (!holder) {
      holder = document.createElement("small");
      holder.className = "error";
      holder.setAttribute("data-file-problem", "");
      holder.setAttribute("role", "alert");
      holder.id = (input.id || input.name) + "-problem";
      input.insertAdjacentElement("afterend", holder);
    }
    holder.textContent = message;
    holder.hidden = !message;
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", holder.id);
    } else {
      input.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var message = fileProblem(input);
    showFileProblem(input, message);
    if (message) input.value = "";  /* a refused file is never sent */
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var refused = false;
    form.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var message = fileProblem(input);
      if (message) {
        showFileProblem(input, message);
        input.value = "";
        refused = true;
      }
    });
    if (refused) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* --- 4. Searchable checklists ------------------------------------------------------------ */
  function filterChecklist(search) {
    var list = search.closest("[data-checklist]");
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    list.querySelectorAll(".checklist-option").forEach(function (option) {
      var text = option.textContent.toLowerCase();
      var match = option.querySelector("input").checked || words.every(function (w) { return text.indexOf(w) >= 0; });
      option.hidden = !match;
      if (match) shown++;
    });
    list.querySelector("[data-checklist-empty]").hidden = shown > 0;
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-checklist-search]")) filterChecklist(event.target);
  });
  document.addEventListener("keydown", function (event) {
    /* Enter in the search box must not submit the form. */
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-checklist-search]")) event.preventDefault();
  });

  /* --- 5. Counters under long texts -------------------------------------------------------- */
  var COUNTED = "textarea[maxlength], input[type=text][maxlength]";
  function updateCounter(input) {
    var counter = input.parentNode.querySelector("[data-counter-for='" + input.id + "']");
    if (!counter) return;
    var max = parseInt(input.getAttribute("maxlength"), 10);
    counter.textContent = input.value.length + "/" + max;
    counter.classList.toggle("near", input.value.length > max * 0.9);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(COUNTED)) updateCounter(event.target);
  });

  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("[data-checklist-search][hidden]").forEach(function (search) {
      search.hidden = false;
    });
    root.querySelectorAll(COUNTED).forEach(function (input) {
      var max = parseInt(input.getAttribute("maxlength"), 10);
      if (!input.id || (input.tagName === "INPUT" && max < 200)) return;
      if (input.parentNode.querySelector("[data-counter-for='" + input.id + "']")) return;
      var counter = document.createElement("small");
      counter.className = "counter";
      counter.setAttribute("data-counter-for", input.id);
      input.insertAdjacentElement("afterend", counter);
      updateCounter(input);
    });
  }
})();
