"""Query results are kept for a short while, then asked for again."""

from orchestration.dashboard.recent import RecentResults


class Engine:
    def __init__(self) -> None:
        self.queries: list[str] = []

    def run(self, sql: str) -> list[dict[str, object]]:
        self.queries.append(sql)
        return [{"n": len(self.queries)}]


def test_a_result_is_reused_until_it_expires() -> None:
    now = [100.0]
    recent = RecentResults(ttl_s=60, change_mark=lambda: "", clock=lambda: now[0])
    engine = Engine()

    assert recent.get("SELECT 1", engine.run) == [{"n": 1}]
    now[0] += 59
    assert recent.get("SELECT 1", engine.run) == [{"n": 1}]
    assert recent.get("SELECT 2", engine.run) == [{"n": 2}]
    now[0] += 2
    assert recent.get("SELECT 1", engine.run) == [{"n": 3}]


def test_the_oldest_entries_go_first_past_the_bound() -> None:
    recent = RecentResults(ttl_s=60, change_mark=lambda: "", max_entries=2, clock=lambda: 0.0)
    engine = Engine()
    for sql in ("a", "b", "c", "a"):
        recent.get(sql, engine.run)

    assert engine.queries == ["a", "b", "c", "a"]


def test_every_result_is_dropped_when_the_lake_change_mark_moves() -> None:
    mark = ["first"]
    recent = RecentResults(ttl_s=60, change_mark=lambda: mark[0], clock=lambda: 0.0)
    engine = Engine()

    assert recent.get("SELECT 1", engine.run) == [{"n": 1}]
    assert recent.get("SELECT 1", engine.run) == [{"n": 1}]
    mark[0] = "after an erase"
    assert recent.get("SELECT 1", engine.run) == [{"n": 2}]
    assert recent.get("SELECT 1", engine.run) == [{"n": 2}]


def test_a_result_computed_across_a_change_of_the_mark_is_not_kept() -> None:
    mark = ["before"]
    recent = RecentResults(ttl_s=60, change_mark=lambda: mark[0], clock=lambda: 0.0)
    engine = Engine()

    def erased_meanwhile(sql: str) -> list[dict[str, object]]:
        rows = engine.run(sql)
        mark[0] = "after an erase"
        assert recent.get("SELECT 2", engine.run) == [{"n": 2}]  # another reader, after it
        return rows

    assert recent.get("SELECT 1", erased_meanwhile) == [{"n": 1}]
    assert recent.get("SELECT 1", engine.run) == [{"n": 3}]
