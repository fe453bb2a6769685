"""Rules of the review-and-rectification loop (appeals, liability, tickets, review): pure, over an ``Actor`` and a time."""
