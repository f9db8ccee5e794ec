"""The terminal face: `edgeapp ask|chat|config|keys|scrub|history|budget|eval|models|serve|gui|doctor`.

`main.py` holds the command group and the chat commands; each other module holds the commands of
one part (`ledger.py`: history, budget, prices; `models.py`: models; ...). Commands only parse,
call the core and print: every turn goes through `edgeapp.assistant.Assistant`.
"""
