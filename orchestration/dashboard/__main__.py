"""`python -m orchestration.dashboard`: the dashboard alone, as its container runs it."""

import sys

from ingest_service.serving import role_main
from ingest_service.settings import DashboardSettings

if __name__ == "__main__":
    sys.exit(
        role_main(
            "orchestration.dashboard",
            "orchestration.dashboard.server:app_from_env",
            DashboardSettings,
            None,
        )
    )
