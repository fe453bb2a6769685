"""Rules of the review-and-rectification loop, pure over an ``Actor`` and a time."""
