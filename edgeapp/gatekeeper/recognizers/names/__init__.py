"""People's names, by the kind of evidence:

- `by_lists`: first names and surnames the word lists know, and the words next to them;
- `by_context`: names found by the words around them, whatever the name (form fields, greetings,
  possessives, what people do, speaker labels, table columns); its rules are in `in_layout`,
  `in_prose` and `in_lower_case`, its cue tables and patterns in `cues`;
- `titled`: names after a title or a phrase that announces one ("Dr Louis Jones", "my name is ...");
- `ner_second_look`: full names spaCy tags as organisations, and names written in capitals;
- `shapes`: what a name looks like as words (`tidy_name`, `looks_like_full_name`).
"""
