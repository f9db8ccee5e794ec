"""The turn pipeline: the stages `edgeapp.assistant.Assistant` runs for each message.

In the order a turn meets them (pipeline.py runs them; each has its tests in tests/turn/):

- draft.py: the local answer, history fitted to the context, streamed with the confidence
  statement hidden, then scored and calibrated (`LocalDraft`)
- route.py: budget pacing and the routing decision (`Pacing`, `Decision`)
- escalate.py: the message shaped by the collaboration settings, then the cloud's answer or
  align / shepherd (the methods themselves are in collab.py)
- cloud_call.py: one cloud call, through the stages below
- scrub.py: the history window and the gatekeeper, per message; the user's confirmation
- reserve.py: the budget reservation for the call's worst case
- stream.py: the call on its pump thread, with retries and stop
- settle.py: the reservation settled, released or charged by estimate; the call recorded
- guardian.py: the reply checked by the guardian (edgeapp/guardian/): its findings, and a policy
  of `hide` turned into a fallback that keeps the local answer (`Guarded`)
- record.py: the turn in the conversation and the ledger

Around them: events.py (what faces get), outcomes.py and sheet.py (what stages did, and the one
place a `TurnResult` is assembled from it), parts.py (the model, gatekeeper, cloud client and
ledger, rebuilt when their settings change), watch.py (files that changed since last look).
"""
