"""Everything the pipeline's assets, checks and sensors use, by the names they ask for."""

import dataclasses
from dataclasses import dataclass
from typing import Any

from ingest_service.settings import PipelineSettings
from orchestration.resources import Catalog, Lake, QueryEngine, alerter, lake_access
from orchestration.resources.alerts import Alerter
from orchestration.resources.store import ClickStoreResource
from orchestration.resources.trigger_queue import TriggerQueue


@dataclass(frozen=True, kw_only=True)
class PipelineResources:
    store: ClickStoreResource
    lake: Lake
    catalog: Catalog
    query_engine: QueryEngine
    alerter: Alerter
    trigger_queue: TriggerQueue

    def by_key(self) -> dict[str, Any]:
        """For `Definitions(resources=...)`: each field's name is its resource key."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


def pipeline_resources(settings: PipelineSettings) -> PipelineResources:
    access = lake_access(settings)
    return PipelineResources(
        store=ClickStoreResource.from_settings(settings),
        lake=access.lake,
        catalog=access.catalog,
        query_engine=access.query_engine,
        alerter=alerter(settings),
        trigger_queue=TriggerQueue(queue_url=settings.trigger_queue_url),
    )
