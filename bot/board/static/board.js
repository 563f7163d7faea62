// The village board in the browser: it fetches views (HTML made by the server, translated
// there) with the Mini App's init data, shows them, and posts the forms in them. Without
// Telegram's script (tests, the console's board) the init data comes from the URL's hash,
// where Telegram also puts it.
(function () {
  "use strict";
  var root = document.getElementById("app");
  var api = root.dataset.api;
  var hash = new URLSearchParams(location.hash.slice(1));
  var village = null;
  var current = null;

  function webApp() {
    return window.Telegram && window.Telegram.WebApp;
  }

  function initData() {
    var tg = webApp();
    return (tg && tg.initData) || hash.get("tgWebAppData") || "";
  }

  function startParam() {
    var fields = new URLSearchParams(initData());
    var query = new URLSearchParams(location.search);
    return fields.get("start_param") || query.get("tgWebAppStartParam") || query.get("start") || "";
  }

  function call(path, options) {
    options = options || {};
    options.headers = { Authorization: "tma " + initData() };
    return fetch(api + path, options).then(function (response) {
      return response.text().then(function (text) {
        return { ok: response.ok, text: text };
      });
    });
  }

  function notice(html) {
    var place = document.getElementById("notice");
    if (place) {
      place.innerHTML = html;
    } else {
      root.innerHTML = html;
    }
  }

  function show(view, html) {
    var main = document.getElementById("view");
    main.innerHTML = html;
    main.removeAttribute("aria-busy");
    var tabs = document.querySelectorAll(".tabs a");
    for (var i = 0; i < tabs.length; i++) {
      var mine = view.split(/[/?]/)[0].replace(/s$/, "") === tabs[i].dataset.go.replace(/s$/, "");
      if (mine) {
        tabs[i].setAttribute("aria-current", "page");
      } else {
        tabs[i].removeAttribute("aria-current");
      }
    }
  }

  function go(view, keepNotice) {
    current = view;
    if (!keepNotice) notice("");
    document.getElementById("view").setAttribute("aria-busy", "true");
    return call("/v/" + village + "/" + view).then(function (answer) {
      if (answer.ok) {
        show(view, answer.text);
      } else {
        notice(answer.text);
      }
    });
  }

  function boot(param) {
    return call("/frame?start=" + encodeURIComponent(param)).then(function (answer) {
      root.innerHTML = answer.text;
      root.removeAttribute("aria-busy");
      var frame = root.querySelector("[data-village]");
      if (!frame) return;
      village = frame.dataset.village;
      document.documentElement.lang = frame.dataset.lang;
      document.title = frame.dataset.title;
      return go(frame.dataset.view);
    });
  }

  function confirmed(text) {
    var tg = webApp();
    if (!text) return Promise.resolve(true);
    if (tg && tg.showConfirm && tg.platform && tg.platform !== "unknown") {
      return new Promise(function (resolve) {
        tg.showConfirm(text, resolve);
      });
    }
    return Promise.resolve(window.confirm(text));
  }

  document.addEventListener("click", function (event) {
    var outside = event.target.closest("a[target=_blank]");
    var tg = webApp();
    if (outside && tg && tg.openLink && tg.platform && tg.platform !== "unknown") {
      // Inside Telegram a new window is the system browser's, opened by Telegram.
      event.preventDefault();
      tg.openLink(outside.href);
      return;
    }
    var link = event.target.closest("a[data-go], a[data-village-switch]");
    if (!link) return;
    event.preventDefault();
    if (link.dataset.villageSwitch) {
      boot("v" + link.dataset.villageSwitch);
    } else {
      go(link.dataset.go);
    }
  });

  // Euros as the server writes them (whole euros without cents, digits always grouped).
  function money(cents) {
    var digits = cents % 100 === 0 ? 0 : 2;
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: "currency",
      currency: "EUR",
      useGrouping: "always",
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(cents / 100);
  }

  // A form with data-total-of (a sum in cents) adds up the data-cost (cents) of its ticked
  // boxes in its <output data-running-total>, in the server's words: data-total-chosen, or
  // data-total-over past the sum, or data-total-none ({total} and {left} filled in).
  function runningTotal(form) {
    var output = form.querySelector("output[data-running-total]");
    if (!output) return;
    var sum = Number(form.dataset.totalOf);
    var ticked = form.querySelectorAll("input[data-cost]:checked");
    var total = 0;
    for (var i = 0; i < ticked.length; i++) total += Number(ticked[i].dataset.cost);
    var over = total > sum;
    var words = form.dataset.totalChosen;
    if (!ticked.length) words = form.dataset.totalNone;
    if (over) words = form.dataset.totalOver;
    output.textContent = words
      .split("{total}")
      .join(money(total))
      .split("{left}")
      .join(money(sum - total));
    output.classList.toggle("over", over);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.dataset.totalOf) runningTotal(form);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    if (form.dataset.go) {
      go(form.dataset.go + "?" + data.toString());
      return;
    }
    confirmed(form.dataset.confirm).then(function (yes) {
      if (!yes) return;
      var buttons = form.querySelectorAll("button");
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      call("/v/" + village + "/" + form.dataset.action, { method: "POST", body: data }).then(
        function (answer) {
          for (var i = 0; i < buttons.length; i++) buttons[i].disabled = false;
          if (!answer.ok) {
            notice(answer.text);
            return;
          }
          notice(answer.text);
          go(form.dataset.then || current, true);
        }
      );
    });
  });

  // Inside Telegram (its hash names the client's version) Telegram's own script gives the
  // theme colours and the native dialogs; a plain browser (the console's board) goes without.
  if (hash.get("tgWebAppVersion")) {
    var script = document.createElement("script");
    script.src = "https://telegram.org/js/telegram-web-app.js";
    script.onload = function () {
      var tg = webApp();
      if (tg && tg.ready) tg.ready();
    };
    document.head.appendChild(script);
  }
  boot(startParam());
})();
