"""What a procedures manual is: chapters, boards, overlays, history, amendments. Pure Python, no MkDocs."""
