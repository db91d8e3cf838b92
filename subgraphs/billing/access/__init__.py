"""Who may read and change which billing data: the scope rules and the row rules behind them."""
