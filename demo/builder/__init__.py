"""The builder of the demo rows, by topic: the shared reference data (``reference``),
each student's courses and lectures (``students``), their days of study
(``activity``) and what is computed from those (``summaries``). All draw on one
:class:`~demo.builder.context.Demo`: the seeded generator and the weeks of activity.
"""
