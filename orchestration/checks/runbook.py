"""What on-call should do when a run fails for a reason no check names."""

RUN_FAILED = (
    "Open the run, read the failed step's error, fix the cause and re-execute the failed steps."
)
