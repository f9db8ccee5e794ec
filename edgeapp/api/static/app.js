// edgeapp phone page: plain JS, no build step. Everything a model writes goes in with textContent
// (never innerHTML), and the page's Content-Security-Policy allows only this script.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const KEEP = new Set(["budget", "privacy", "user-kept-local", "cloud-error", "gatekeeper-error", "guardian-hid"]);
  const state = { token: null, conversation: null, abort: null, busy: false };

  // -- sign-in: the pairing URL carries the token in its fragment (#token=...), never sent to the server
  function readToken() {
    const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    const fromUrl = hash.get("token");
    if (fromUrl) {
      localStorage.setItem("edgeapp.token", fromUrl);
      // --https: the certificate's SHA-256 from the pairing code, to compare with the browser's
      const cert = (hash.get("cert") || "").toUpperCase();
      if (/^[0-9A-F]{64}$/.test(cert)) localStorage.setItem("edgeapp.cert", cert);
      else localStorage.removeItem("edgeapp.cert");
      history.replaceState(null, "", location.pathname + location.search);
    }
    return localStorage.getItem("edgeapp.token");
  }

  function showCertificate() {
    const cert = localStorage.getItem("edgeapp.cert");
    const node = $("cert");
    node.hidden = !cert || location.protocol !== "https:";
    if (node.hidden) return;
    node.textContent = "Certificate SHA-256 (from the pairing code): " + cert.match(/.{2}/g).join(":") +
      ". If your browser warned about the certificate, its details must show this same fingerprint.";
  }

  function headers(json) {
    const h = { "Authorization": "Bearer " + state.token, "X-Edgeapp-Client": "phone" };
    if (json) h["Content-Type"] = "application/json";
    return h;
  }

  async function api(path) {
    const r = await fetch(path, { headers: headers(false), cache: "no-store" });
    if (r.status === 401) { signOut(await errorText(r)); throw new Error("401"); }
    if (!r.ok) throw new Error(await errorText(r));
    return r.json();
  }

  async function errorText(r) {
    try { const j = await r.json(); return (j.error && j.error.message) || ("HTTP " + r.status); }
    catch (_) { return "HTTP " + r.status; }
  }

  function signOut(message) {
    localStorage.removeItem("edgeapp.token");
    state.token = null;
    $("signin").hidden = false;
    $("empty").hidden = true;
    const e = $("signin-error");
    e.hidden = !message; e.textContent = message || "";
  }

  // -- the page's parts
  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function scrollDown() { const log = $("log"); log.scrollTop = log.scrollHeight; }

  function addNotice(text, cls) {
    const n = el("p", "notice" + (cls ? " " + cls : ""), text);
    $("log").appendChild(n); scrollDown(); return n;
  }

  function badgeClass(info) {
    if (info.route === "cloud") return "cloud";
    if (info.route === "blocked" || KEEP.has(info.reason_code)) return "kept";
    return "local";
  }

  function addBadge(meta, info) {
    const b = el("span", "badge " + badgeClass(info) + (info.stopped ? " stopped" : ""), info.badge);
    const reasons = info.reasons || [];
    b.title = reasons.join("\n");
    meta.appendChild(b);
    if (reasons.length) {  // tap the badge for the reasons (a phone has no hover)
      b.setAttribute("role", "button"); b.tabIndex = 0;
      const why = el("div", "why", reasons.join(" "));
      why.hidden = true;
      b.addEventListener("click", () => { why.hidden = !why.hidden; scrollDown(); });
      meta.after(why);
    }
    if (info.guardian_flag) {  // the guardian found something in the cloud's reply (details in the reasons)
      const flag = el("span", "flag", info.guardian_flag);
      flag.title = reasons.join("\n");
      meta.appendChild(flag);
    }
    if (info.cost) meta.appendChild(el("span", "cost", info.cost_text));
    if (info.masked) meta.appendChild(el("span", "masked", "masked " + info.masked));
  }

  function addUser(text) { $("log").appendChild(el("div", "msg me", text)); $("empty").hidden = true; scrollDown(); }

  function addBot() {
    const box = el("div", "msg bot");
    const text = el("div", "text");
    const meta = el("div", "meta");
    box.append(text, meta);
    $("log").appendChild(box); scrollDown();
    return { box, text, meta };
  }

  function newConversationId() {
    const a = new Uint8Array(6); crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function startConversation() {
    state.conversation = newConversationId();
    for (const n of Array.from($("log").querySelectorAll(".msg, .notice"))) n.remove();
    $("empty").hidden = false;
  }

  async function refreshBudget() {
    try {
      const s = await api("/edgeapp/status");
      const b = s.budget;
      const node = $("budget");
      if (!b) { node.textContent = "ledger off"; return; }
      node.textContent = b.limit_text === null ? `${b.spent_text} spent this month · no limit`
        : `${b.spent_text} of ${b.limit_text} this month`;
      node.classList.toggle("alert", b.state === "alert" || b.state === "exhausted");
    } catch (_) { /* shown elsewhere */ }
  }

  async function showConversations() {
    const list = $("conversations");
    list.replaceChildren();
    $("drawer").hidden = false;
    try {
      const { data } = await api("/edgeapp/conversations");
      $("no-conversations").hidden = data.length > 0;
      for (const c of data) {
        const li = el("li");
        const b = el("button", "", c.title);
        b.type = "button";
        b.appendChild(el("span", "when", `${c.turns} turn${c.turns === 1 ? "" : "s"} · ${c.last_activity.slice(0, 16).replace("T", " ")} UTC`));
        b.addEventListener("click", () => openConversation(c.id));
        li.appendChild(b); list.appendChild(li);
      }
    } catch (e) { if (e.message !== "401") $("no-conversations").hidden = false; }
  }

  async function openConversation(id) {
    $("drawer").hidden = true;
    const { turns } = await api("/edgeapp/conversations/" + encodeURIComponent(id));
    startConversation();
    state.conversation = id;
    for (const t of turns) {
      addUser(t.user_text || "");
      const bot = addBot();
      bot.text.textContent = t.answer || "";
      addBadge(bot.meta, { route: t.route, reason_code: t.reason_code, stopped: !!t.stopped, badge: t.badge, cost: t.cost,
        cost_text: t.cost ? "$" + Number(t.cost).toFixed(4) : "", guardian_flag: t.guardian_flag, reasons: t.reasons });
    }
  }

  // -- asking: the OpenAI streaming API, read as server-sent events
  async function ask(text) {
    addUser(text);
    const bot = addBot();
    bot.text.classList.add("draft");
    bot.text.textContent = "…";
    let content = "", draft = "", info = null;
    state.abort = new AbortController();
    setBusy(true);
    try {
      const r = await fetch("/v1/chat/completions", {
        method: "POST", headers: headers(true), signal: state.abort.signal,
        body: JSON.stringify({ model: $("model").value, stream: true, conversation_id: state.conversation,
          messages: [{ role: "user", content: text }] }),
      });
      if (r.status === 401) { signOut(await errorText(r)); return; }
      if (!r.ok) { bot.text.classList.remove("draft"); bot.text.textContent = ""; addNotice(await errorText(r), "error"); return; }
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          for (const line of block.split("\n")) {
            if (!line.startsWith("data: ")) continue;
            const data = line.slice(6);
            if (data === "[DONE]") continue;
            const chunk = JSON.parse(data);
            if (chunk.error) { addNotice(chunk.error.message, "error"); continue; }
            const e = chunk.edgeapp;
            const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
            if (delta && delta.content) {
              content += delta.content;
              bot.text.classList.remove("draft");
              bot.text.textContent = content;
            }
            if (e && e.event === "draft" && !content) { draft += e.text; bot.text.textContent = draft; }
            if (e && e.event === "restart") { content = ""; bot.text.textContent = ""; }
            if (e && e.event === "escalating") { draft = ""; bot.text.textContent = "…"; }
            if (e && e.event === "notice" && e.kind !== "collab") addNotice(e.text);
            if (e && e.badge) info = e;
            scrollDown();
          }
        }
      }
    } catch (err) {
      if (err.name === "AbortError") {
        bot.text.classList.remove("draft");
        bot.text.textContent = content || draft;
        stoppedBadge(bot, state.conversation);
      } else if (err.message !== "401") {
        addNotice("The connection broke: " + err.message, "error");
      }
    } finally {
      state.abort = null;
      setBusy(false);
      if (info) { bot.text.classList.remove("draft"); if (!content && !info.stopped) bot.text.textContent = ""; addBadge(bot.meta, info); }
      refreshBudget();
    }
  }

  // a stopped turn: the server records it (the client left); show the badge it recorded
  function stoppedBadge(bot, conversation) {
    setTimeout(async () => {
      try {
        const { turns } = await api("/edgeapp/conversations/" + encodeURIComponent(conversation));
        const t = turns[turns.length - 1];
        addBadge(bot.meta, { route: t.route, reason_code: t.reason_code, stopped: !!t.stopped, badge: t.badge });
      } catch (_) { bot.meta.appendChild(el("span", "badge stopped", "stopped")); }
    }, 1500);
  }

  function setBusy(busy) {
    state.busy = busy;
    const b = $("send");
    b.textContent = busy ? "Stop" : "Send";
    b.classList.toggle("stop", busy);
  }

  function grow() { const t = $("input"); t.style.height = "auto"; t.style.height = Math.min(t.scrollHeight, 144) + "px"; }

  function init() {
    state.token = readToken();
    startConversation();
    showCertificate();
    if (!state.token) signOut(); else refreshBudget();
    $("signin-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = $("token-input").value.trim();
      if (!v) return;
      localStorage.setItem("edgeapp.token", v); state.token = v;
      $("signin").hidden = true; $("empty").hidden = false; refreshBudget();
    });
    $("ask-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (state.busy) { if (state.abort) state.abort.abort(); return; }
      if (!state.token) { signOut(); return; }
      const text = $("input").value.trim();
      if (!text) return;
      $("input").value = ""; grow();
      ask(text);
    });
    $("input").addEventListener("input", grow);
    $("input").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && window.matchMedia("(pointer: fine)").matches) {
        ev.preventDefault(); $("ask-form").requestSubmit();
      }
    });
    $("new").addEventListener("click", () => { if (state.abort) state.abort.abort(); startConversation(); });
    $("menu").addEventListener("click", showConversations);
    $("close-drawer").addEventListener("click", () => { $("drawer").hidden = true; });
  }

  init();
})();
