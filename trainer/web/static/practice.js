// The practice page: start a session, send replies, show grades, hints and the end report.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const { RUBRICS, LABELS, lineChart } = window.TrainerCharts;
  let session = null;
  let partnerName = "";
  let hintAttempt = 0;
  let lastTurn = null; // the last reply's turn, which "Try that again" takes back
  const PHONE = window.matchMedia("(max-width: 40rem)");
  const CURRENT = "trainer.practice.scenario";  // the scenario being practised, to resume after a reload

  function remember(scenarioId) {
    try {
      if (scenarioId) sessionStorage.setItem(CURRENT, scenarioId);
      else sessionStorage.removeItem(CURRENT);
    } catch (error) { /* storage may be off: resuming is only a convenience */ }
  }

  function remembered() {
    try { return sessionStorage.getItem(CURRENT); } catch (error) { return null; }
  }

  function show(section) {
    for (const id of ["choose", "talk", "report"]) $(id).hidden = id !== section;
  }

  function problem(message) {
    const box = $("problem");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function api(method, path, body, headers) {
    const options = { method, headers: Object.assign({ Accept: "application/json" }, headers || {}), credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (error) {
      problem("The server could not be reached. Check your connection and try again.");
      throw error;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      let message = data.detail || `Something went wrong (${response.status}).`;
      if (response.status === 401) message += " Reload the page to join again.";
      problem(message);
      throw new Error(message);
    }
    problem("");
    return data;
  }

  function addMessage(role, text, quiet) {
    const item = document.createElement("li");
    item.className = role;
    const who = document.createElement("span");
    who.className = "speaker";
    who.textContent = role === "partner" ? `${partnerName}: ` : "You: ";
    const said = document.createElement("span");
    said.textContent = text;
    item.append(who, said);
    $("log").appendChild(item);
    if (!quiet) item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function announce(text) {
    $("said").textContent = `${partnerName} says: ${text}`;
  }

  function setSafety(state) {
    const safety = state.safety;
    $("safety").value = safety;
    const word = safety < 35 ? "guarded" : safety < 65 ? "unsure" : "safe";
    $("safety-text").textContent = `${safety} of 100, ${word}`;
    const left = state.replies_left;
    const note = $("replies-left");
    note.hidden = !(typeof left === "number" && left <= 2);
    note.textContent = left === 1 ? "1 reply left" : `${left} replies left`;
  }

  function showGrade(grade, notice) {
    const scores = $("scores");
    scores.replaceChildren();
    for (const rubric of RUBRICS) {
      const score = grade.rubrics[rubric];
      // A rubric the moment did not call for is left out: it is not what this reply was for.
      if (!score || score.applicable === false) continue;
      const term = document.createElement("dt");
      term.textContent = LABELS[rubric];
      const detail = document.createElement("dd");
      const value = document.createElement("strong");
      value.className = `score s${score.score}`;
      value.textContent = `${score.score} of 3`;
      detail.append(value, ` ${score.reason}`);
      scores.append(term, detail);
    }
    $("tip").textContent = notice ? `${notice} Tip: ${grade.tip}` : `Tip: ${grade.tip}`;
    const feedback = $("feedback");
    feedback.hidden = false;
    // On a phone the partner's answer and the meter come first; the grade is one tap away (open
    // when there is a notice: a reply that could not be read says so at once).
    feedback.open = !PHONE.matches || Boolean(notice);
  }

  function showRetry() {
    $("retry-row").hidden = lastTurn === null;
    if (lastTurn && lastTurn.try_again) $("tip").textContent += ` ${lastTurn.try_again}`;
  }

  // "Try that again": the conversation goes back to just before the last reply, which is put back
  // in the box to change; the first try stays in the report as an earlier attempt.
  async function retry() {
    if (!session || lastTurn === null) return;
    const turn = lastTurn;
    const data = await api("POST", `/practice/api/sessions/${session.id}/rewind`, { to: turn.index }, { "Idempotency-Key": newKey() });
    lastTurn = null;
    showRetry();
    // Taken back, the conversation is live again (also after the partner left): a reload resumes it.
    remember(data.status === "active" ? data.scenario_id : null);
    $("talk").dataset.status = data.status;
    $("log").replaceChildren();
    for (const message of data.messages) addMessage(message.role, message.text, true);
    setSafety(data.state);
    const last = $("log").lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
    announce(data.messages[data.messages.length - 1].text);
    $("feedback").hidden = true;
    $("hint-box").hidden = true;
    hintAttempt = 0;
    $("reply").value = turn.reply;
    show("talk");
    $("reply").focus();
  }

  async function start(button) {
    const data = await api("POST", "/practice/api/sessions", { scenario_id: button.dataset.scenario });
    session = data;
    remember(data.status === "active" ? button.dataset.scenario : null);
    partnerName = data.partner.name;
    hintAttempt = 0;
    lastTurn = null;
    showRetry();
    $("talk-title").textContent = button.dataset.title;
    $("role").textContent = button.dataset.role;
    for (const node of document.querySelectorAll(".partner-name")) node.textContent = partnerName;
    $("log").replaceChildren();
    $("feedback").hidden = true;
    $("hint-box").hidden = true;
    $("screen").hidden = true;
    $("reply-form").hidden = false;
    $("reply").value = "";
    $("talk").dataset.status = data.status;
    for (const message of data.messages) addMessage(message.role, message.text, true);
    setSafety(data.state);
    if (data.last_turn) {
      // Resumed after a reload: the last reply's feedback and "Try that again", as before it.
      showGrade(data.last_turn.grade, data.last_turn.notice);
      lastTurn = data.last_turn;
      showRetry();
    }
    show("talk");
    const last = $("log").lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
    announce(data.messages[data.messages.length - 1].text);
    $("reply").focus();
  }

  async function send(event) {
    event.preventDefault();
    const reply = $("reply").value.trim();
    if (!reply || !session) return;
    $("send").disabled = true;
    try {
      const data = await api("POST", `/practice/api/sessions/${session.id}/turns`, { reply }, { "Idempotency-Key": newKey() });
      $("talk").dataset.status = data.session.status;
      addMessage("learner", data.turn.reply, true);
      if (data.turn.screen) {
        $("reply").value = "";
        showScreen(data.turn.screen);
        return;
      }
      const answer = addMessage("partner", data.turn.partner.text, true);
      announce(data.turn.partner.text);
      setSafety(data.session.state);
      showGrade(data.turn.grade, data.turn.notice);
      lastTurn = data.turn;
      showRetry();
      // The partner's answer in view, just under the sticky safety meter.
      answer.scrollIntoView({ block: PHONE.matches ? "center" : "nearest" });
      $("reply").value = "";
      $("hint-box").hidden = true;
      hintAttempt = 0;
      if (data.session.status !== "active") {
        remember(null);
        await showReport(data.session.status);
      } else {
        $("reply").focus();
      }
    } finally {
      $("send").disabled = false;
    }
  }

  // The safety screen paused the role-play: its message and where to find help, plainly, first.
  function showScreen(screen) {
    $("screen-message").textContent = screen.message;
    const list = $("screen-resources");
    list.replaceChildren(...screen.resources.map((resource) => {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = `${resource.name}: `;
      item.append(name, resource.contact);
      return item;
    }));
    // A screened reply is not one to try again, and an ended paused session cannot be rewound.
    lastTurn = null;
    $("feedback").hidden = true;
    $("hint-box").hidden = true;
    $("reply-form").hidden = true;
    $("screen").hidden = false;
    $("screen").focus();
  }

  async function resume() {
    const data = await api("POST", `/practice/api/sessions/${session.id}/resume`);
    $("talk").dataset.status = data.status;
    $("screen").hidden = true;
    $("reply-form").hidden = false;
    $("reply").focus();
  }

  async function showHint() {
    const data = await api("GET", `/practice/api/sessions/${session.id}/hint?attempt=${hintAttempt}`);
    hintAttempt += 1;
    $("hint-text").textContent = data.reply;
    $("hint-box").hidden = false;
    $("use-hint").focus();
  }

  function useHint() {
    $("reply").value = $("hint-text").textContent;
    $("hint-box").hidden = true;
    $("reply").focus();
  }

  const TRENDS = { improving: "improving", steady: "steady", declining: "declining", uneven: "up and down", not_enough_data: "too few replies" };

  async function showReport(status) {
    const report = await api("GET", `/practice/api/sessions/${session.id}/report`);
    const outcomes = {
      completed: `${partnerName} felt understood. Well done.`,
      withdrawn: `${partnerName} withdrew from the conversation.`,
      active: "You ended the conversation here.",
      paused: "You ended the conversation here. Take care of yourself.",
    };
    $("outcome").textContent = `${outcomes[status || report.status] || ""} Replies: ${report.turn_count}.`;
    const series = {};
    for (const rubric of RUBRICS) series[rubric] = (report.rubrics[rubric] || { scores: [] }).scores;
    $("chart").replaceChildren(lineChart(series, "Rubric scores over the replies, 0 to 3"));
    const rows = $("report-rows");
    rows.replaceChildren();
    for (const rubric of RUBRICS) {
      const summary = report.rubrics[rubric];
      const row = document.createElement("tr");
      const cells = [LABELS[rubric], summary && summary.mean !== null ? summary.mean.toFixed(1) : "–", summary ? TRENDS[summary.trend] : ""];
      cells.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = text;
        row.appendChild(cell);
      });
      rows.appendChild(row);
    }
    const well = $("went-well");
    const hurts = (report.hurts || []).map((hurt) => `What hurt: ${hurt.label} (${hurt.count}), e.g. "${hurt.example}"`);
    well.replaceChildren(...[...report.went_well, ...hurts].map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    $("practise-next").textContent = report.practise_next ? `Practise next: ${report.practise_next.advice}` : "";
    const retries = (report.retries || []).map((compared) =>
      Object.assign(document.createElement("li"), { textContent: `Reply ${compared.position + 1}, tried again: ${compared.summary}` }));
    $("retries").replaceChildren(...retries);
    $("report-retry").hidden = lastTurn === null || report.status === "active";
    show("report");
    $("report").focus();
  }

  // "End and see report": the server notes that the learner ended it (the board shows "Ended").
  async function endConversation() {
    const data = await api("POST", `/practice/api/sessions/${session.id}/end`);
    $("talk").dataset.status = data.status;
    await showReport(data.status);
  }

  function init() {
    for (const button of document.querySelectorAll(".scenario")) button.addEventListener("click", () => start(button).catch(() => {}));
    $("reply-form").addEventListener("submit", (event) => send(event).catch(() => {}));
    $("reply").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("reply-form").requestSubmit();
    });
    $("hint").addEventListener("click", () => showHint().catch(() => {}));
    $("use-hint").addEventListener("click", useHint);
    $("end").addEventListener("click", () => { remember(null); endConversation().catch(() => {}); });
    $("retry").addEventListener("click", () => retry().catch(() => {}));
    $("report-retry").addEventListener("click", () => retry().catch(() => {}));
    $("resume").addEventListener("click", () => resume().catch(() => {}));
    $("screen-end").addEventListener("click", () => { remember(null); endConversation().catch(() => {}); });
    $("again").addEventListener("click", () => {
      session = null;
      remember(null);
      show("choose");
      const first = document.querySelector(".scenario");
      if (first) first.focus();
    });
    $("share").addEventListener("change", (event) => {
      api("POST", "/practice/api/share", { share: event.target.checked }).catch(() => { event.target.checked = !event.target.checked; });
    });
  }

  init();
  // A reload goes back to the conversation being practised (the server resumes the active session).
  const practising = remembered();
  const button = practising && document.querySelector(`.scenario[data-scenario="${CSS.escape(practising)}"]`);
  if (button) start(button).catch(() => remember(null));
})();
