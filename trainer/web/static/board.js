// The facilitator board: polls the cohort's progress every second and updates a card per learner.
"use strict";
(function () {
  const { RUBRICS, LABELS, barChart } = window.TrainerCharts;
  const POLL_MS = 1000;
  const cardsList = document.getElementById("cards");
  const status = document.getElementById("board-status");
  const cohortId = cardsList.dataset.cohort;
  const cards = new Map();
  const STATE_TEXT = { not_started: "Not started", practising: "Practising", stuck: "Stuck", withdrawn: "Partner withdrew", done: "Done" };

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function makeCard(learner) {
    const card = node("li", "card");
    card.setAttribute("aria-labelledby", `name-${learner.member_id}`);
    const name = node("h3", "name");
    name.id = `name-${learner.member_id}`;
    const state = node("p", "state");
    const facts = node("p", "facts");
    const safetyRow = node("p", "safety-row");
    const safetyLabel = node("label", "", "Safety ");
    const safety = node("meter");
    Object.assign(safety, { min: 0, max: 100, low: 35, high: 65, optimum: 100, id: `safety-${learner.member_id}` });
    safetyLabel.htmlFor = safety.id;
    const safetyText = node("span", "meter-text");
    safetyRow.append(safetyLabel, safety, safetyText);
    const skills = node("dl", "skills");
    const rows = {};
    for (const rubric of RUBRICS) {
      const meter = node("meter");
      Object.assign(meter, { min: 0, max: 3, low: 1.5, high: 2.5, optimum: 3 });
      meter.setAttribute("aria-label", LABELS[rubric]);
      const value = node("span", "value");
      const dd = node("dd");
      dd.append(meter, value);
      skills.append(node("dt", "", LABELS[rubric]), dd);
      rows[rubric] = { meter, value };
    }
    const transcript = node("button", "quiet", "Read transcript");
    transcript.type = "button";
    transcript.addEventListener("click", () => openTranscript(learner.member_id));
    card.append(name, state, facts, safetyRow, skills, transcript);
    return { card, name, state, facts, safety, safetyText, rows, transcript };
  }

  function update(view, learner) {
    view.name.textContent = learner.display_name;
    view.state.textContent = STATE_TEXT[learner.state] || learner.state;
    view.card.dataset.state = learner.state;
    view.state.className = `state ${learner.state}`;
    view.facts.textContent = `${learner.turns} replies in this conversation · ${learner.sessions_completed} of ${learner.sessions_started} conversations completed`;
    view.safety.value = learner.safety === null ? 0 : learner.safety;
    view.safetyText.textContent = learner.safety === null ? "–" : `${learner.safety} of 100`;
    for (const rubric of RUBRICS) {
      const mean = learner.averages[rubric];
      view.rows[rubric].meter.value = mean === undefined ? 0 : mean;
      view.rows[rubric].value.textContent = mean === undefined ? "–" : mean.toFixed(1);
    }
    view.transcript.hidden = !learner.shares_transcript;
  }

  function render(progress) {
    const seen = new Set();
    for (const learner of progress.learners) {
      seen.add(learner.member_id);
      let view = cards.get(learner.member_id);
      if (!view) {
        view = makeCard(learner);
        cards.set(learner.member_id, view);
        cardsList.appendChild(view.card);
      }
      update(view, learner);
    }
    for (const [id, view] of cards) {
      if (!seen.has(id)) { view.card.remove(); cards.delete(id); }
    }
    const notes = progress.room.map((skill) => ({
      rubric: skill.rubric,
      mean: skill.mean,
      note: skill.learners ? `${skill.learners} scored · ${skill.low} under 1.5 · ${skill.high} at 2.5+` : "no replies yet",
    }));
    document.getElementById("room-chart").replaceChildren(barChart(notes, "Room average per skill, 0 to 3"));
    const counts = {};
    for (const learner of progress.learners) counts[learner.state] = (counts[learner.state] || 0) + 1;
    const summary = Object.entries(counts).map(([state, n]) => `${n} ${(STATE_TEXT[state] || state).toLowerCase()}`).join(", ");
    document.getElementById("learner-count").textContent = `(${progress.learners.length})`;
    status.textContent = `Updated ${new Date().toLocaleTimeString()}${summary ? " · " + summary : " · waiting for learners to join"}`;
  }

  async function poll() {
    try {
      const response = await fetch(`/workshop/api/cohorts/${cohortId}/progress`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await response.json().catch(() => ({}));
      if (response.status === 401 || response.status === 404) {
        status.textContent = `${data.detail || "Signed out."} Reload the page to sign in again.`;
        return;
      }
      if (response.ok) render(data);
    } catch (error) {
      status.textContent = "The server could not be reached; retrying…";
    }
    setTimeout(poll, POLL_MS);
  }

  async function openTranscript(memberId) {
    const dialog = document.getElementById("transcript");
    const log = document.getElementById("transcript-log");
    const response = await fetch(`/workshop/api/cohorts/${cohortId}/members/${memberId}/transcript`, { credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    log.replaceChildren();
    if (!response.ok) {
      log.appendChild(node("li", "", data.detail || "The transcript is not available."));
    } else {
      document.getElementById("transcript-title").textContent = `Transcript: ${data.display_name}`;
      for (const message of data.messages) {
        const item = node("li", message.role);
        item.append(node("span", "speaker", message.role === "partner" ? "Partner: " : `${data.display_name}: `), node("span", "", message.text));
        log.appendChild(item);
      }
    }
    dialog.showModal();
  }

  poll();
})();
