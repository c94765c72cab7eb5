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
    if (target.matches("[data-picker-query]") && event.type === "input") return;  /* searching changes nothing yet */
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

  /* --- 6. Search pickers: links to objects of any OPD ------------------------------------- */
  /* The widget (sia.core.widgets.SearchPickerWidget) lists the chosen objects as ticked boxes and has a
     code box; here a search box asks the server (JSON) and a result chosen becomes one more ticked box. */
  function pickerText(picker, key, values) {
    var text = picker.getAttribute("data-picker-" + key) || "";
    Object.keys(values || {}).forEach(function (name) { text = text.replace("%(" + name + ")s", values[name]); });
    return text;
  }
  function chosenIds(picker) {
    var ids = {};
    picker.querySelectorAll("[data-picker-chosen] input[type=checkbox]:checked").forEach(function (box) { ids[box.value] = true; });
    return ids;
  }
  function renderResults(picker, data) {
    var results = picker.querySelector("[data-picker-results]");
    var status = picker.querySelector("[data-picker-status]");
    var chosen = chosenIds(picker);
    results.replaceChildren();
    data.results.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "picker-option";
      button.setAttribute("data-picker-option", "");
      button.dataset.id = item.id;
      button.dataset.label = item.label;
      button.textContent = item.label;
      if (chosen[String(item.id)]) {
        button.disabled = true;
        button.textContent = item.label + " — " + pickerText(picker, "taken");
      }
      results.appendChild(button);
    });
    if (!data.results.length) {
      var none = document.createElement("p");
      none.className = "checklist-empty";
      none.textContent = pickerText(picker, "none");
      results.appendChild(none);
    } else if (data.more) {
      var more = document.createElement("p");
      more.className = "checklist-empty";
      more.textContent = pickerText(picker, "more");
      results.appendChild(more);
    }
    status.textContent = data.results.length ? pickerText(picker, "count", { n: data.results.length }) : pickerText(picker, "none");
  }
  function searchPicker(input) {
    var picker = input.closest("[data-picker]");
    var words = input.value.trim();
    var ticket = (picker.siaTicket || 0) + 1;
    picker.siaTicket = ticket;
    if (!words) {
      picker.querySelector("[data-picker-results]").replaceChildren();
      picker.querySelector("[data-picker-status]").textContent = "";
      return;
    }
    var base = picker.getAttribute("data-picker-url");
    var url = base + (base.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(words);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) { if (picker.siaTicket === ticket) renderResults(picker, data); })
      .catch(function () {
        if (picker.siaTicket === ticket) picker.querySelector("[data-picker-status]").textContent = pickerText(picker, "error");
      });
  }
  function addPicked(option) {
    var picker = option.closest("[data-picker]");
    var list = picker.querySelector("[data-picker-chosen]");
    var box = list.querySelector("input[value='" + option.dataset.id + "']");
    if (!box) {
      var count = list.querySelectorAll("li").length;
      var item = document.createElement("li");
      var label = document.createElement("label");
      label.className = "checklist-option";
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = picker.getAttribute("data-picker-name");
      box.value = option.dataset.id;
      box.id = picker.id + "_" + count + "_added";
      label.htmlFor = box.id;
      var text = document.createElement("span");
      text.textContent = option.dataset.label;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(text);
      item.appendChild(label);
      list.appendChild(item);
    }
    box.checked = true;
    list.hidden = false;
    picker.querySelector("[data-picker-none-chosen]").hidden = true;
    markTouched({ target: box });
    option.disabled = true;
    option.textContent = option.dataset.label + " — " + pickerText(picker, "taken");
    picker.querySelector("[data-picker-status]").textContent = pickerText(picker, "added", { label: option.dataset.label });
    picker.querySelector("[data-picker-query]").focus();
  }
  var pickerTimer = null;
  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker-query]")) return;
    clearTimeout(pickerTimer);
    var input = event.target;
    pickerTimer = setTimeout(function () { searchPicker(input); }, 250);
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker-option]");
    if (option && !option.disabled) addPicked(option);
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.matches) return;
    var picker = target.closest && target.closest("[data-picker]");
    if (!picker) return;
    var options = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-option]:not([disabled])"));
    var query = picker.querySelector("[data-picker-query]");
    if (target.matches("[data-picker-query]")) {
      if (event.key === "Enter") {  /* never submits the form: Enter searches now, or goes to the results */
        event.preventDefault();
        clearTimeout(pickerTimer);
        if (options.length) options[0].focus(); else searchPicker(target);
      } else if (event.key === "ArrowDown" && options.length) {
        event.preventDefault();
        options[0].focus();
      } else if (event.key === "Escape" && target.value) {
        event.preventDefault();
        target.value = "";
        searchPicker(target);
      }
    } else if (target.matches("[data-picker-option]")) {
      var index = options.indexOf(target);
      if (event.key === "ArrowDown" && index < options.length - 1) { event.preventDefault(); options[index + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? options[index - 1] : query).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); query.focus(); }
    }
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
    root.querySelectorAll("[data-checklist-search][hidden], [data-picker-search][hidden]").forEach(function (search) {
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
