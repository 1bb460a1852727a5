/* The web editor's own parts, on top of Decap CMS (served at /admin/editor.js by
 * newsroom/editor.py, after Decap's bundle, which defines CMS, h and createClass):
 * - the "counted" widget: the standfirst with its length counted as the editor types;
 * - the preview pane: the check's messages for the entry being edited, then the page as
 *   the site renders it (POST /admin/api/preview, at most one request in flight);
 * - before a save, the check (POST /admin/api/check): an entry with errors is not saved;
 * - after a save, the check of the saved file and the commit (POST /admin/api/saved),
 *   said in the status line at the bottom of the page.
 * Where there is no API (the production editor, on a static host) the check is the
 * site's build, and saves are not blocked here. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var DELAY = 400; // ms after the last keystroke before the preview is asked for again

  var staged = {}; // pictures Decap holds until the save, already copied for the check

  // The pictures of the entry that are not saved yet (Decap uploads them with the post).
  function pendingMedia(entry) {
    var files = entry.get("mediaFiles");
    return files ? files.toJS().filter(function (m) { return m.file && m.path; }) : [];
  }

  function payload(entry) {
    return {
      collection: entry.get("collection"),
      path: entry.get("newRecord") ? null : entry.get("path") || null,
      data: entry.get("data") ? entry.get("data").toJS() : {},
      pending: pendingMedia(entry).map(function (m) { return m.path; })
    };
  }

  function send(action, body) {
    return fetch("/admin/api/" + action, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    });
  }

  // Copies each new picture to the editor once, so the check can look at it.
  function stage(entry) {
    return Promise.all(pendingMedia(entry).map(function (m) {
      var key = m.path + ":" + m.file.size;
      if (staged[key]) return staged[key];
      staged[key] = m.file.arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer), text = "";
        for (var i = 0; i < bytes.length; i += 32768) {
          text += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
        }
        return send("media", { collection: entry.get("collection"), path: m.path, data64: btoa(text) });
      });
      return staged[key];
    }));
  }

  // Resolves with the API's answer, or null where the editor has no API (404).
  function post(action, entry) {
    return stage(entry).then(function () {
      return send(action, payload(entry));
    }).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error("the editor's check answered " + response.status);
      return response.json();
    });
  }

  function problemList(problems) {
    return h("ul", { className: "newsroom-problems" }, problems.map(function (p, i) {
      return h("li", { key: i, className: "newsroom-problem newsroom-problem--" + p.level },
        h("strong", null, (p.level === "error" ? "Error" : "Warning") + ", " + p.label + ": "),
        p.message);
    }));
  }

  var Counted = createClass({
    render: function () {
      var props = this.props, value = props.value || "", id = props.forID;
      var max = props.field.get("maximum"), count = Array.from(value).length;
      var over = max && count > max;
      return h("div", null,
        h("textarea", {
          id: id, className: props.classNameWrapper, value: value, rows: 4,
          "aria-describedby": id + "-count",
          onChange: function (e) { props.onChange(e.target.value); },
          onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle
        }),
        h("p", { id: id + "-count", className: "newsroom-count" + (over ? " newsroom-count--over" : "") },
          count + (max ? " of " + max : "") + " characters" +
          (over ? ": " + (count - max) + " too many" : "")));
    }
  });

  var Preview = createClass({
    getInitialState: function () { return { result: null, html: null, failed: null }; },
    componentDidMount: function () { this.asked = 0; this.schedule(); },
    componentDidUpdate: function (before) {
      if (before.entry !== this.props.entry) this.schedule();
    },
    componentWillUnmount: function () { this.gone = true; clearTimeout(this.timer); },
    schedule: function () {
      clearTimeout(this.timer);
      this.timer = setTimeout(this.refresh, DELAY);
    },
    refresh: function () {
      // the check first (a few ms), then the page, which may wait for a build
      var self = this, asked = ++this.asked, entry = this.props.entry;
      function current() { return !self.gone && asked === self.asked; }
      function failed(error) { if (current()) self.setState({ failed: error.message }); }
      post("check", entry).then(function (result) {
        if (!current()) return;
        // the last page stays while the next renders, so the pane does not flicker
        self.setState({ result: result, failed: null,
                        html: result && result.errors ? null : self.state.html });
        if (!result || result.errors) return;
        post("preview", entry).then(function (page) {
          if (current() && page) self.setState({ result: page, html: page.html });
        }, failed);
      }, failed);
    },
    render: function () {
      var result = this.state.result, failed = this.state.failed, html = this.state.html;
      if (failed) return h("p", { role: "alert" }, "The preview is not running: " + failed);
      if (!result) return h("p", { className: "newsroom-waiting" }, "Checking...");
      var errors = result.problems.filter(function (p) { return p.level === "error"; });
      return h("div", { className: "newsroom-preview" },
        h("section", { className: "newsroom-check", id: "newsroom-check", "aria-live": "polite",
                       "data-errors": String(errors.length) },
          h("h2", null, errors.length ? "Fix before saving" : "Check: no errors"),
          h("p", { className: "newsroom-moment" }, result.moment),
          result.problems.length ? problemList(result.problems)
            : h("p", null, "The check found nothing to fix in " + result.path + ".")),
        html
          ? h("iframe", { className: "newsroom-page", title: "The page as the site will show it",
                          srcDoc: html })
          : h("p", { className: "newsroom-reason" }, result.errors ? "The page is shown "
              + "again when the errors above are fixed." : result.reason || "Rendering the page..."));
    }
  });

  function status() {
    var line = document.getElementById("newsroom-saved");
    if (!line) {
      line = document.createElement("div");
      line.id = "newsroom-saved";
      line.setAttribute("role", "status");
      document.body.appendChild(line);
    }
    return line;
  }

  function say(text, problems) {
    var line = status();
    line.textContent = text;
    (problems || []).forEach(function (p) {
      var item = document.createElement("p");
      item.textContent = (p.level === "error" ? "Error, " : "Warning, ") + p.label + ": " + p.message;
      line.appendChild(item);
    });
  }

  CMS.registerWidget("counted", Counted);
  ["news", "pages", "site"].forEach(function (name) {
    CMS.registerPreviewTemplate(name, Preview);
  });
  CMS.registerPreviewStyle("/admin/editor.css");
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      say("Checking before saving...");
      return post("check", args.entry).then(function (result) {
        var errors = result ? result.problems.filter(function (p) { return p.level === "error"; }) : [];
        if (errors.length) {
          say("Not saved: fix these first.", errors);
          throw new Error("not saved: " + errors.map(function (p) {
            return p.label + ": " + p.message;
          }).join(" / "));
        }
        return undefined; // the entry is saved as it is
      });
    }
  });
  CMS.registerEventListener({
    name: "postSave",
    handler: function (args) {
      return post("saved", args.entry).then(function (result) {
        if (result) say(result.note, result.problems);
      }, function (error) { say("Saved, but the editor could not check it: " + error.message); });
    }
  });
})();
