"""The import engine every app's file import is built from (places, accidents, and the imports to come).

An import reads the uploaded file (:mod:`.reading`), maps its header row onto the app's column specs
(:mod:`.columns`), parses every cell (:mod:`.cells`) and checks EVERY row before anything is written
(:mod:`.checking`); a file with any error writes nothing and yields the error sheet (:mod:`.errors`), built from
the result (:mod:`.results`); a good file is written in bulk in one transaction (:mod:`.writer`). Large files run
as a background job (:mod:`.runner`), whose upload, progress, retry and error pages are :mod:`.pages` (templates
in ``templates/core/imports/``, which an app's templates extend with its title, notes and counts).

An app keeps only its column specs and its rules: what a row means, whom it concerns, how it is written.
"""
