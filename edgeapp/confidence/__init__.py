"""How sure the local model is of its answer: the token and verbal signals (`signals`), the fitted
calibration `edgeapp calibrate` saves (`calibration`), and reading numbers and final answers out of
text (`answer_text`)."""
