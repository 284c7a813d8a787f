"""Behaviours plus context become rubric scores, a reason, evidence and one tip."""
