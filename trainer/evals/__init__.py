"""The offline eval suite: datasets, metrics, runner and reports."""
