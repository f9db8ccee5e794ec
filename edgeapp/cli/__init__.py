"""The terminal face: `edgeapp ask|chat|config|keys|scrub|log|sent|export|budget|price|eval|
calibrate|feedback|models|serve|gui|doctor`.

`main.py` holds the group and the one table naming each command and the module it lives in
(`chat.py`: ask, chat; `settings.py`: config, keys; `ledger.py`: log, sent, export, budget, price;
`evaluation.py`: eval, calibrate, feedback; ...); a command's module is imported only when it runs
or when help lists it. Commands only parse, call the core and print: every turn goes through
`edgeapp.assistant.Assistant`.
"""
