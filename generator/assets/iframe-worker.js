/* qingdan: lets the search worker run when the handbook is opened from file://.
 *
 * Browsers refuse `new Worker()` for file:// pages. Material's search worker already knows how to run inside an
 * iframe when the page defines `IFrameWorker`: this file provides that class. It runs the worker script in a hidden
 * same-origin iframe, maps importScripts() to <script> tags and bridges messages both ways. On http(s) it does
 * nothing, so the real Worker is used.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function load(doc, url) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("无法加载 " + url)); };
      doc.body.appendChild(script);
    });
  }

  function clone(data) {  // what postMessage does between a page and a real worker
    return typeof structuredClone === "function" ? structuredClone(data) : data;
  }

  function IFrameWorker(url) {
    var target = document.createElement("div");
    var self = this;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    document.body.appendChild(frame);
    var win = frame.contentWindow;
    var doc = win.document;
    doc.open();
    doc.write("<!doctype html><html><head></head><body></body></html>");
    doc.close();
    var base = new URL(url, location.href).href;
    win.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (chain, u) {
        return chain.then(function () { return load(doc, new URL(u, base).href); });
      }, Promise.resolve());
    };
    // As from a real worker: a copy of the data, delivered in a task of its own. Delivered at once, inside the
    // page's own call, Zensical's search field lost each character typed before the next (only the last was
    // searched).
    win.postMessage = function (data) {
      var copy = clone(data);
      setTimeout(function () {
        var event = new MessageEvent("message", { data: copy });
        if (typeof self.onmessage === "function") self.onmessage(event);
        target.dispatchEvent(event);
      }, 0);
    };
    this._win = win;
    this._ready = load(doc, base);
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);
  }

  IFrameWorker.prototype.postMessage = function (data) {
    var win = this._win;
    var copy = clone(data);
    this._ready.then(function () {
      win.dispatchEvent(new win.MessageEvent("message", { data: copy }));
    });
  };

  IFrameWorker.prototype.terminate = function () {};

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
