"""The partner's state machine, driven by hand-built grades (no coder involved)."""

from __future__ import annotations

from trainer.content.scenario import AdvicePlan, Reaction, Scenario, Stage, Tuning
from trainer.partner.answers import DEEPER_POINT_ID
from trainer.partner.state import PartnerState, SessionStatus, initial_state
from trainer.partner.transitions import Transition, step
from trainer.vocabulary.codes import Code

from .conftest import at_difficulty, graded

TRIP, PHONE, LONELY, PRIORITY = "cancelled-trip", "phone-at-dinner", "feels-lonely", "wants-priority"
ALL = (TRIP, PHONE, LONELY, PRIORITY)
REFLECT_ALL = graded(Code.reflection, Code.feeling_check, points=ALL)
REFLECT_HALF = graded(Code.reflection, Code.feeling_check, points=(TRIP, PHONE))
STAY = graded(Code.validation, Code.open_question)
DEEPER = graded(Code.reflection, points=(DEEPER_POINT_ID,))
EMPATHY = graded(Code.empathy)


def run(scenario: Scenario, *grades: object, state: PartnerState | None = None) -> list[Transition]:
    state = state or initial_state(scenario)
    transitions = []
    for grade in grades:
        transition = step(scenario, state, grade)  # type: ignore[arg-type]
        transitions.append(transition)
        state = transition.state
    return transitions


def reactions(transitions: list[Transition]) -> list[Reaction]:
    return [t.cue.reaction for t in transitions]


def test_difficulty_sets_the_starting_safety(reference: Scenario) -> None:
    starts = [initial_state(at_difficulty(reference, d)).safety for d in (1, 2, 3)]
    assert starts == [70, 55, 40]
    assert initial_state(reference).stage is Stage.sharing


def test_a_partial_reflection_names_the_first_missing_point(reference: Scenario) -> None:
    [t] = run(reference, graded(Code.reflection, points=(PHONE,)))
    assert t.state.stage is Stage.clarifying
    assert t.state.reflected == [PHONE]
    assert t.cue.reaction is Reaction.partial
    assert t.cue.missed == reference.key_points[0].missed
    assert t.state.safety == 55 + 8
    assert t.status is SessionStatus.active


def test_a_guarded_partner_opens_up_less_per_reflection(reference: Scenario) -> None:
    gains = [
        run(at_difficulty(reference, d), REFLECT_ALL)[0].safety_change for d in (1, 2, 3)
    ]
    assert gains[0] > gains[1] > gains[2] > 0
    credited = [len(run(at_difficulty(reference, d), REFLECT_ALL)[0].state.reflected) for d in (1, 2, 3)]
    assert credited == [4, 4, 4]  # what was reflected is heard, whatever the difficulty


def test_reflecting_everything_confirms_and_the_partner_feels_understood(reference: Scenario) -> None:
    first, second = run(reference, REFLECT_HALF, REFLECT_ALL)
    assert first.cue.reaction is Reaction.partial
    assert second.cue.reaction is Reaction.confirm
    assert second.state.stage is Stage.understood
    assert any("feels understood" in s for s in second.explanation)


def test_an_easy_partner_feels_understood_with_most_points(reference: Scenario) -> None:
    easy = at_difficulty(reference, 1)
    [t] = run(easy, graded(Code.reflection, points=(TRIP, PHONE, LONELY)))
    assert t.state.stage is Stage.understood
    assert t.cue.reaction is Reaction.confirm


def test_a_parroted_reflection_credits_nothing(reference: Scenario) -> None:
    [t] = run(reference, graded(Code.reflection, points=(TRIP,), parroting=True))
    assert t.state.reflected == []
    assert any("repeated" in s for s in t.explanation)


def test_the_deeper_feeling_comes_only_after_understood_and_safe(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, STAY)
    assert [t.state.revealed for t in transitions] == [False, False, True]
    assert transitions[-1].cue.reaction is Reaction.reveal
    assert transitions[-1].state.stage is Stage.deepening
    assert transitions[-1].cue.reveal_deeper
    assert not any(t.cue.reveal_deeper for t in transitions[:-1])


def test_no_reveal_while_safety_is_below_the_threshold(reference: Scenario) -> None:
    wary = reference.model_copy(update={"tuning": Tuning(reveal_min_safety=95)})
    transitions = run(wary, REFLECT_HALF, REFLECT_ALL, graded(Code.open_question))
    last = transitions[-1]
    assert last.state.stage is Stage.understood
    assert not last.state.revealed
    assert last.cue.reaction is Reaction.elaborate
    assert last.cue.point in [kp.share for kp in reference.key_points]
    assert any("not yet safe enough" in s for s in last.explanation)


def test_open_questions_share_the_next_unreflected_points_in_turn(reference: Scenario) -> None:
    first, second = run(reference, graded(Code.open_question), graded(Code.open_question))
    assert first.cue.reaction is Reaction.elaborate
    assert first.cue.point == reference.key_points[0].share
    assert second.cue.point == reference.key_points[1].share
    assert first.state.stage is Stage.clarifying


def test_after_the_reveal_an_open_question_hears_more_of_the_deeper_feeling(reference: Scenario) -> None:
    last = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, graded(Code.open_question))[-1]
    assert last.cue.reaction is Reaction.elaborate
    assert last.cue.point == reference.deeper.share


def test_the_whole_exercise_completes(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, DEEPER, EMPATHY)
    assert reactions(transitions) == [
        Reaction.partial, Reaction.confirm, Reaction.reveal, Reaction.advice_request, Reaction.done,
    ]
    assert [t.state.stage for t in transitions] == [
        Stage.clarifying, Stage.understood, Stage.deepening, Stage.closing, Stage.done,
    ]
    assert transitions[-1].status is SessionStatus.completed
    assert transitions[-1].state.status is SessionStatus.completed
    assert transitions[3].state.advice_requested


def test_deeper_heard_when_no_advice_is_asked(reference: Scenario) -> None:
    quiet = reference.model_copy(update={"advice": AdvicePlan()})
    transitions = run(quiet, REFLECT_HALF, REFLECT_ALL, STAY, graded(Code.validation))
    assert transitions[-1].cue.reaction is Reaction.deeper_heard
    assert transitions[-1].state.deeper_heard


def test_empathy_before_the_deeper_feeling_is_heard_does_not_finish(reference: Scenario) -> None:
    last = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, EMPATHY)[-1]
    assert last.state.stage is Stage.deepening
    assert last.cue.reaction is Reaction.validated


def test_a_feeling_underneath_said_back_as_it_comes_out_is_heard_and_care_completes(
    reference: Scenario,
) -> None:
    # Practised: "underneath it you're scared you matter less to me than you used to" brought the
    # reveal, and the caring reaction after it was answered as if nothing had been heard.
    state = run(reference, REFLECT_HALF, REFLECT_ALL)[-1].state
    guessed = "It sounds like underneath it you're scared you matter less to me than you used to."
    revealed = step(reference, state, graded(Code.reflection), guessed)
    assert revealed.cue.reaction is Reaction.reveal
    assert revealed.state.stage is Stage.deepening and revealed.state.deeper_heard
    cared = step(reference, revealed.state, EMPATHY, "It hurts my heart that you've felt this way.")
    assert cared.state.stage is Stage.done and cared.status is SessionStatus.completed
    # A reply that stays without naming it still leaves the feeling to be heard after it is said.
    stayed = step(reference, state, STAY, "That makes sense. What's the hardest part?")
    assert stayed.state.stage is Stage.deepening and not stayed.state.deeper_heard


def test_unasked_advice_hurts_and_credits_nothing(reference: Scenario) -> None:
    [t] = run(reference, graded(Code.reflection, Code.advice, points=(TRIP,)))
    assert t.cue.reaction is Reaction.hurt_advice
    assert t.state.reflected == []
    assert t.state.stage is Stage.sharing
    assert t.state.safety == 55 + 8 - 12
    assert "Safety fell by 12 because the reply offered a fix Maya did not ask for." in t.explanation


def test_the_worst_harm_decides_the_reaction(reference: Scenario) -> None:
    easy = at_difficulty(reference, 1)
    [t] = run(easy, graded(Code.advice, Code.invalidation, Code.self_focus))
    assert t.cue.reaction is Reaction.hurt_invalidation
    assert t.state.stage is Stage.sharing
    [t] = run(reference, graded(Code.self_focus, Code.defensiveness))
    assert t.cue.reaction is Reaction.hurt_defensiveness
    [t] = run(reference, graded(Code.self_focus))
    assert t.cue.reaction is Reaction.hurt_self_focus


def test_leading_questions_hurt_and_plain_closed_questions_do_not(reference: Scenario) -> None:
    [leading] = run(reference, graded(Code.closed_question, evidence={
        Code.closed_question: "Don't you think you're overreacting?"}))
    assert leading.cue.reaction is Reaction.hurt_leading
    assert leading.state.safety == 55 - 8
    about_the_story = "Did it leave you feeling lonely?"
    plain_question = graded(Code.closed_question, evidence={Code.closed_question: about_the_story})
    heard = initial_state(reference).model_copy(update={"reflected": ["feels-lonely"]})
    plain = step(reference, heard, plain_question, "Did you feel hurt?")
    assert plain.cue.reaction is Reaction.short_answer  # yes, and a little more: the point's share line
    assert plain.cue.point == next(kp.share for kp in reference.key_points if kp.id == "feels-lonely")
    assert plain.state.safety == 55
    assert plain.state.stage is Stage.sharing
    other = step(reference, initial_state(reference), plain_question, "Was it yesterday?")
    assert other.cue.reaction is Reaction.answer_no  # no, and what it is instead
    assert other.cue.point in {kp.summary for kp in reference.key_points}


def test_penalties_scale_with_difficulty(reference: Scenario) -> None:
    losses = [
        -run(at_difficulty(reference, d), graded(Code.defensiveness))[0].safety_change for d in (1, 2, 3)
    ]
    assert losses == [14, 18, 23]


def test_tuning_deltas_override_the_defaults(reference: Scenario) -> None:
    gentle = reference.model_copy(update={"tuning": Tuning(deltas={Code.advice: -2})})
    [t] = run(gentle, graded(Code.advice))
    assert t.safety_change == -2


def test_permission_is_refused_before_understood_and_granted_after(reference: Scenario) -> None:
    [early] = run(reference, graded(Code.permission_ask))
    assert early.cue.reaction is Reaction.permission_no
    assert not early.state.permission_granted
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, graded(Code.permission_ask), graded(Code.advice))
    assert transitions[2].cue.reaction is Reaction.permission_yes
    assert transitions[2].state.permission_granted
    assert transitions[3].cue.reaction is Reaction.advice_welcome
    assert transitions[3].safety_change == 0


def test_advice_after_the_partner_asks_is_welcome(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, DEEPER, graded(Code.advice), EMPATHY)
    welcome = transitions[4]
    assert welcome.cue.reaction is Reaction.advice_welcome
    assert welcome.safety_change == 0
    assert any("costs nothing" in s for s in welcome.explanation)
    assert transitions[-1].status is SessionStatus.completed


def test_the_advice_request_comes_once(reference: Scenario) -> None:
    early = reference.model_copy(update={"advice": AdvicePlan(asks_at=Stage.clarifying,
                                                              accepts_permission_from=Stage.clarifying)})
    trip, phone = graded(Code.reflection, points=(TRIP,)), graded(Code.reflection, points=(PHONE,))
    transitions = run(early, trip, phone)
    assert reactions(transitions) == [Reaction.advice_request, Reaction.partial]


HOSTILE = (graded(Code.advice), graded(Code.invalidation))


def test_hostility_makes_the_partner_withdraw(reference: Scenario) -> None:
    transitions = run(reference, *HOSTILE)
    assert reactions(transitions) == [Reaction.hurt_advice, Reaction.withdraw]
    assert transitions[-1].state.stage is Stage.withdrawn
    assert transitions[-1].state.safety == 55 - 12 - 25
    assert transitions[-1].status is SessionStatus.active
    assert any("never mind" in s for s in transitions[-1].explanation)


def test_a_withdrawn_partner_ends_the_session_without_a_repair(reference: Scenario) -> None:
    transitions = run(reference, *HOSTILE, graded(Code.reflection), graded(Code.self_focus))
    assert reactions(transitions)[2:] == [Reaction.still_withdrawn, Reaction.ended]
    assert transitions[2].safety_change == 0
    assert transitions[-1].status is SessionStatus.withdrawn
    assert transitions[-1].state.status is SessionStatus.withdrawn


def test_a_repair_brings_the_partner_back_warily(reference: Scenario) -> None:
    transitions = run(reference, *HOSTILE, graded(Code.repair))
    back = transitions[-1]
    assert back.cue.reaction is Reaction.repair_accepted
    assert back.state.stage is Stage.clarifying
    assert back.state.safety == 20 + 25
    assert back.state.repairs == 1
    assert back.status is SessionStatus.active


def test_an_apology_with_a_reflection_counts_as_a_repair(reference: Scenario) -> None:
    sorry = graded(Code.reflection, evidence={Code.reflection: "I'm sorry, you felt brushed off"})
    assert run(reference, *HOSTILE, sorry)[-1].cue.reaction is Reaction.repair_accepted


def test_a_second_withdrawal_with_no_repairs_left_ends_the_session(reference: Scenario) -> None:
    transitions = run(reference, *HOSTILE, graded(Code.repair), graded(Code.invalidation))
    assert transitions[-1].cue.reaction is Reaction.ended
    assert transitions[-1].status is SessionStatus.withdrawn


def test_an_easy_partner_forgives_twice(reference: Scenario) -> None:
    easy = at_difficulty(reference, 1)
    hurt, repair = graded(Code.invalidation), graded(Code.repair)
    transitions = run(easy, hurt, hurt, hurt, repair, hurt, hurt, repair, hurt, hurt)
    assert reactions(transitions) == [
        Reaction.hurt_invalidation, Reaction.hurt_invalidation, Reaction.withdraw, Reaction.repair_accepted,
        Reaction.hurt_invalidation, Reaction.withdraw, Reaction.repair_accepted,
        Reaction.hurt_invalidation, Reaction.ended,
    ]
    assert transitions[3].state.safety == 15 + 30


def test_a_repair_counts_only_when_something_needs_repairing(reference: Scenario) -> None:
    [t] = run(reference, graded(Code.repair))
    assert t.safety_change == 0
    after_hurt = run(reference, graded(Code.advice), graded(Code.repair))[-1]
    assert after_hurt.safety_change == 10
    assert after_hurt.cue.reaction is Reaction.repair_accepted
    assert not after_hurt.state.unrepaired_hurt


def test_validation_alone_softens_and_nothing_nudges(reference: Scenario) -> None:
    [validated] = run(reference, graded(Code.validation))
    assert validated.cue.reaction is Reaction.validated
    [nothing] = run(reference, graded())
    assert nothing.cue.reaction is Reaction.nudge
    assert nothing.state.stage is Stage.sharing
    assert nothing.explanation


def test_running_out_of_turns_ends_the_session(reference: Scenario) -> None:
    short = reference.model_copy(update={"max_turns": 4})
    transitions = run(short, *[graded(Code.validation)] * 4)
    assert [t.status for t in transitions] == [SessionStatus.active] * 3 + [SessionStatus.completed]
    assert transitions[-1].state.turns_ran_out
    assert any("allows 4 replies" in s for s in transitions[-1].explanation)


def test_step_is_deterministic_and_pure(reference: Scenario) -> None:
    state = initial_state(reference)
    before = state.model_dump()
    first = step(reference, state, REFLECT_ALL)
    second = step(reference, state, REFLECT_ALL)
    assert first == second
    assert state.model_dump() == before


def test_the_state_round_trips_through_json(reference: Scenario) -> None:
    state = run(reference, REFLECT_HALF, REFLECT_ALL, STAY)[-1].state
    assert PartnerState.model_validate_json(state.model_dump_json()) == state


def test_every_transition_explains_itself(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, DEEPER, EMPATHY, state=None)
    transitions += run(reference, *HOSTILE, graded(Code.reflection), graded(Code.reflection))
    transitions += run(reference, graded(Code.closed_question), graded(Code.open_question),
                       graded(Code.validation), graded(Code.feeling_check), REFLECT_HALF, REFLECT_ALL,
                       graded(Code.reflection), graded(Code.permission_ask), graded(Code.advice))
    for transition in transitions:
        assert transition.explanation
        assert all(sentence.endswith((".", ")")) for sentence in transition.explanation)


def test_hearing_the_deeper_feeling_again_at_closing_gets_a_yes(reference: Scenario) -> None:
    last = run(reference, REFLECT_HALF, REFLECT_ALL, STAY, DEEPER, DEEPER)[-1]
    assert last.cue.reaction is Reaction.deeper_heard
    assert last.state.stage is Stage.closing


def test_after_a_repair_one_reflection_restores_feeling_understood(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, *HOSTILE, graded(Code.invalidation),
                      graded(Code.repair), graded(Code.reflection))
    assert transitions[-2].cue.reaction is Reaction.repair_accepted
    assert transitions[-1].cue.reaction is Reaction.confirm
    assert transitions[-1].state.stage is Stage.understood


def test_welcome_advice_on_the_turn_that_reveals_still_gets_the_reveal(reference: Scenario) -> None:
    asks_early = reference.model_copy(update={"advice": AdvicePlan(asks_at=Stage.understood)})
    transitions = run(asks_early, REFLECT_HALF, REFLECT_ALL, graded(Code.validation, Code.advice))
    assert reactions(transitions)[1:] == [Reaction.advice_request, Reaction.reveal]
    last = transitions[-1]
    assert last.state.revealed and last.cue.reveal_deeper
    assert last.safety_change >= 0  # the advice was asked for, so it costs nothing


def test_an_advice_request_due_on_the_reveal_turn_waits_for_the_next(reference: Scenario) -> None:
    asks_at_deepening = reference.model_copy(update={"advice": AdvicePlan(asks_at=Stage.deepening)})
    transitions = run(asks_at_deepening, REFLECT_HALF, REFLECT_ALL, STAY, graded(Code.open_question))
    assert reactions(transitions)[2:] == [Reaction.reveal, Reaction.advice_request]
    assert not transitions[2].state.advice_requested
    assert transitions[3].state.advice_requested


def test_a_bare_permission_ask_is_answered_and_does_not_bring_the_reveal(reference: Scenario) -> None:
    transitions = run(reference, REFLECT_HALF, REFLECT_ALL, graded(Code.permission_ask))
    last = transitions[-1]
    assert last.cue.reaction is Reaction.permission_yes
    assert last.state.stage is Stage.understood
    assert not last.state.revealed and not last.cue.reveal_deeper


def test_a_permission_ask_with_a_reflection_reveals_first(reference: Scenario) -> None:
    ask = graded(Code.reflection, Code.permission_ask)
    last = run(reference, REFLECT_HALF, REFLECT_ALL, ask)[-1]
    assert last.cue.reaction is Reaction.reveal
    assert last.state.revealed
    assert not last.state.permission_granted  # unanswered this turn; asking again gets the answer


def test_the_partner_counts_how_often_it_had_named_the_missed_point_before(reference: Scenario) -> None:
    same = graded(Code.reflection, points=(PHONE,))
    transitions = run(reference, same, same, same)
    assert reactions(transitions) == [Reaction.partial] * 3
    assert {t.cue.missed for t in transitions} == {reference.key_points[0].missed}
    assert [t.missed_before for t in transitions] == [0, 1, 2]
    assert run(reference, EMPATHY)[0].missed_before == 0
