"""``make pr``: an exported post on a branch of a kubernetes/website checkout, through every review round.

:mod:`.submit` decides what one run commits, :mod:`.git` is the plumbing
(and the rollback), :mod:`.text` the pull request's title, text and the
page path on the deploy preview.
"""
