"""Content as validated data: scenarios, rubrics and prompt templates, loaded at start-up."""
