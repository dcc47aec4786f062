print("rnn-tui")
