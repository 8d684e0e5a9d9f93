"""`python -m ingest_service`: the intake alone, as its container runs it."""

import sys

from ingest_service.serving import role_main
from ingest_service.settings import IntakeSettings

if __name__ == "__main__":
    sys.exit(
        role_main("ingest_service", "ingest_service.server:app_from_env", IntakeSettings, None)
    )
