"""Small learned parts shared by the screen and the coder: hashed n-gram features and linear weights
stored as int8, trained in plain Python by scripts under ``trainer.evals`` on data written for the
project. Imports nothing of the trainer."""
