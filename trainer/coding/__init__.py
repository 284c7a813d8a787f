"""Behaviour coders: which listening behaviours a reply shows, with the words that show each."""
