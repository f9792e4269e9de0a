"""Pictures and animations of what a network learns (matplotlib; the ``viz`` extra).

Every function returns a ``matplotlib.figure.Figure`` (made without pyplot) or, for
animations, an object with ``save(path)`` (.gif, .mp4, .html); nothing here trains
a network to draw it: pictures come from the model, the History and the recorder
callbacks in ``mlplab.nn.recorders``.
"""

from .animation import FrameAnimation, TrainingAnimation
from .boundary import decision_boundary, field_image
from .curves import TestCurve, training_curves
from .dataset import dataset
from .functions import activation_functions, bce_vs_mse, loss_vs_error, regression_losses, softmax_temperature
from .images import confusion_heatmap, image_grid, prediction_grid
from .landscape import loss_landscape, loss_surface
from .network import NetworkAnimation, network_graph
from .neurons import alive_neurons, dead_units, gradient_norms, saturation
from .regression import CurveRecorder, RegressionAnimation, regression_fit, regression_predictions
from .representations import hidden_representations, warped_grid
from .surfaces import PathsAnimation, optimizer_paths, plot_paths

__all__ = ["FrameAnimation", "TrainingAnimation", "decision_boundary", "field_image",
           "training_curves", "dataset", "activation_functions", "bce_vs_mse", "regression_losses",
           "confusion_heatmap", "image_grid", "prediction_grid", "NetworkAnimation",
           "network_graph", "alive_neurons", "gradient_norms", "saturation",
           "hidden_representations", "warped_grid", "PathsAnimation", "optimizer_paths",
           "plot_paths", "loss_surface", "loss_landscape",
           "loss_vs_error", "CurveRecorder", "RegressionAnimation", "regression_fit",
           "regression_predictions", "softmax_temperature", "dead_units", "TestCurve"]

from .perceptron import PerceptronAnimation, perceptron_figure  # noqa: E402

__all__ += ["PerceptronAnimation", "perceptron_figure"]
