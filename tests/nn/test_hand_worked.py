"""Lesson B's step-by-step example, worked by hand and checked against the engine.

A 2-2-1 sigmoid network, x = [0.5, 0.8], target y = 1, loss (y - a2)^2, one SGD step
with lr = 0.5. The arithmetic (to 7 digits):

forward
    z1 = x W1 + b1 = [0.5*0.1 + 0.8*0.2 + 0.01, 0.5*0.3 + 0.8*0.4 + 0.02] = [0.22, 0.49]
    a1 = sigmoid(z1)                                       = [0.5547792, 0.6201064]
    z2 = a1 W2 + b2 = 0.5*0.5547792 + 0.6*0.6201064 + 0.03 = 0.6794535
    a2 = sigmoid(z2)                                       = 0.6636167
    L  = (1 - 0.6636167)^2                                 = 0.1131537
backward
    delta2 = dL/dz2 = -2 (y - a2) a2 (1 - a2)              = -0.1501814
    dL/dW2 = a1^T delta2                                   = [[-0.0833175], [-0.0931285]]
    dL/db2 = delta2                                        = -0.1501814
    delta1 = (delta2 W2^T) * a1 (1 - a1)                   = [-0.0185473, -0.0212273]
    dL/dW1 = x^T delta1 = [[0.5*d1_1, 0.5*d1_2], [0.8*d1_1, 0.8*d1_2]]
                        = [[-0.0092737, -0.0106137], [-0.0148379, -0.0169819]]
    dL/db1 = delta1
update (w <- w - 0.5 dL/dw)
    W2 = [[0.5416588], [0.6465642]],  b2 = 0.1050907
    W1 = [[0.1046368, 0.3053068], [0.2074189, 0.4084909]],  b1 = [0.0192737, 0.0306137]
    new loss = 0.0945448 < 0.1131537
"""

import numpy as np

from mlplab.nn import SGD, Dense, Sequential, Sigmoid, losses


def _network():
    net = Sequential([Dense(2, 2, dtype="float64"), Sigmoid(), Dense(2, 1, dtype="float64"), Sigmoid()])
    net.layers[0].params["W"][...] = [[0.1, 0.3], [0.2, 0.4]]
    net.layers[0].params["b"][...] = [[0.01, 0.02]]
    net.layers[2].params["W"][...] = [[0.5], [0.6]]
    net.layers[2].params["b"][...] = [[0.03]]
    return net


def test_lesson_b_forward_backward_and_update():
    net = _network()
    x, y = np.array([[0.5, 0.8]]), np.array([[1.0]])
    mse = losses.get("mse")  # one sample, one output: (y - a)^2 exactly

    a2 = net.forward(x, training=True)
    dense1, sig1 = net.layers[0], net.layers[1]
    np.testing.assert_allclose(sig1._cache[0], [[0.22, 0.49]], atol=1e-12)      # z1
    np.testing.assert_allclose(sig1._cache[1], [[0.5547792, 0.6201064]], atol=1e-7)  # a1
    np.testing.assert_allclose(net.layers[3]._cache[0], [[0.6794535]], atol=1e-7)   # z2
    np.testing.assert_allclose(a2, [[0.6636167]], atol=1e-7)
    loss_before = float(mse.value(a2, y))
    np.testing.assert_allclose(loss_before, 0.1131537, atol=1e-7)

    net.backward(mse.grad(a2, y))
    np.testing.assert_allclose(net.layers[2].grads["W"], [[-0.0833175], [-0.0931285]], atol=1e-7)
    np.testing.assert_allclose(net.layers[2].grads["b"], [[-0.1501814]], atol=1e-7)
    np.testing.assert_allclose(dense1.grads["b"], [[-0.0185473, -0.0212273]], atol=1e-7)
    np.testing.assert_allclose(dense1.grads["W"], [[-0.0092737, -0.0106137],
                                                   [-0.0148379, -0.0169819]], atol=1e-7)

    SGD(lr=0.5).step(net.parameters())
    np.testing.assert_allclose(net.layers[2].params["W"], [[0.5416588], [0.6465642]], atol=1e-7)
    np.testing.assert_allclose(net.layers[2].params["b"], [[0.1050907]], atol=1e-7)
    np.testing.assert_allclose(dense1.params["W"], [[0.1046368, 0.3053068],
                                                    [0.2074189, 0.4084909]], atol=1e-7)
    np.testing.assert_allclose(dense1.params["b"], [[0.0192737, 0.0306137]], atol=1e-7)

    loss_after = float(mse.value(net.forward(x), y))
    np.testing.assert_allclose(loss_after, 0.0945448, atol=1e-7)
    assert loss_after < loss_before
