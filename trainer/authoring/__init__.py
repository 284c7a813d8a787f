"""Writing scenarios: the checks a scenario passes before anyone practises on it."""
