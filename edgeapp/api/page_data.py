"""The phone page's own read-only endpoints: `/edgeapp/status` (version, queue, this month's
budget), `/edgeapp/conversations` (a client's conversations) and `/edgeapp/conversations/{id}`
(a conversation's turns with their badges). Everything comes from the Assistant's public parts:
its settings, its ledger's budget and `assistant.conversations`."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__, wording
from ..assistant import Assistant
from ..ledger import BudgetStatus
from .admission import Admission
from .errors import error_response
from .protocol import MODELS
from .turn_report import currency

PHONE_CLIENT = "api:phone"
TURN_FIELDS = ("id", "user_text", "answer", "route", "reason_code", "stopped", "cost")


def budget_info(status: BudgetStatus, currency: str) -> dict[str, Any]:
    return {
        "month": status.month,
        "limit": status.limit,
        "spent": status.spent,
        "reserved": status.reserved,
        "left": status.left,
        "state": status.state,
        "spent_text": wording.money(status.spent, currency),
        "limit_text": None if status.limit is None else wording.money(status.limit, currency),
    }


class PageData:
    def __init__(self, assistant: Assistant, admission: Admission) -> None:
        self.assistant = assistant
        self.admission = admission

    def _status(self) -> dict[str, Any]:
        money = currency(self.assistant)
        out: dict[str, Any] = {
            "version": __version__,
            "models": list(MODELS),
            "currency": money,
            "cloud": bool(self.assistant.settings["cloud.base_url"]),
            "queue": {
                "running_or_waiting": self.admission.inflight,
                "parallel": self.admission.parallel,
                "queue_limit": self.admission.queue_limit,
            },
        }
        ledger = self.assistant.ledger
        if ledger is not None:
            out["budget"] = budget_info(ledger.budget_status(), money)
        return out

    def _turns(self, conversation_id: str) -> list[dict[str, Any]]:
        rows = self.assistant.conversations.turns(conversation_id, include_replaced=True)
        turns = [{key: row[key] for key in TURN_FIELDS} for row in rows]
        for turn, row in zip(turns, rows, strict=True):
            turn["badge"] = wording.badge(turn)
            turn["guardian_flag"] = wording.guardian_flag(row)
            turn["reasons"] = [wording.finding_line(f) for f in wording.guardian_findings(row)]
        return turns

    async def status(self, request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(self._status))

    async def conversations(self, request: Request) -> Response:
        client = request.query_params.get("client") or PHONE_CLIENT
        found = await asyncio.to_thread(self.assistant.conversations.by_client, client)
        return JSONResponse({"data": [info.to_dict() for info in found]})

    async def conversation(self, request: Request) -> Response:
        conversation_id = request.path_params["conversation_id"]
        turns = await asyncio.to_thread(self._turns, conversation_id)
        if not turns:
            return error_response(404, f"There is no conversation {conversation_id!r}.", code="not_found")
        return JSONResponse({"id": conversation_id, "turns": turns})
