from sqlalchemy import func, select

from rightsdesk.core.states import State


def test_store_initialises_with_states(session) -> None:
    assert session.scalar(select(func.count()).select_from(State)) > 200
